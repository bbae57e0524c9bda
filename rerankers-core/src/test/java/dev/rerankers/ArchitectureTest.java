package dev.rerankers;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Core is the JDK-only bottom of the module graph: its classes use the JDK and core's own
 * packages, never the Hub client ({@code rerankers-hub}), a backend or a third-party library.
 */
@AnalyzeClasses(packages = "dev.rerankers", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** Packages of the other modules: core sees none of them (they find core, not the reverse). */
  static final String[] OTHER_MODULES = {
    "dev.rerankers.hub..",
    "dev.rerankers.tokenizers..",
    "dev.rerankers.transformers..",
    "dev.rerankers.api..",
    "dev.rerankers.flashrank..",
    "dev.rerankers.colbert..",
    "dev.rerankers.llmlayerwise..",
    "dev.rerankers.monovlm..",
    "dev.rerankers.langchain4j..",
    "dev.rerankers.springai..",
    "dev.rerankers.cli..",
    "dev.rerankers.examples.."
  };

  @ArchTest
  static final ArchRule CORE_DEPENDS_ON_THE_JDK_AND_ITSELF_ONLY =
      classes()
          .that()
          .resideInAPackage("dev.rerankers..")
          .should()
          .onlyDependOnClassesThat(
              resideInAnyPackage("java..", "javax..")
                  .or(resideInAnyPackage("dev.rerankers..").and(not(resideInAnyPackage(OTHER_MODULES))))
                  .as("the JDK or core's own packages"));

  /** The rule is not vacuous: a class using a third-party library breaks it. */
  @ArchTest
  static void the_rule_catches_a_third_party_import(JavaClasses ignored) {
    JavaClasses fixture = new ClassFileImporter().importClasses(UsesAssertJ.class);
    assertThat(CORE_DEPENDS_ON_THE_JDK_AND_ITSELF_ONLY.evaluate(fixture).hasViolation()).isTrue();
  }

  /** A test-only class in a core package that imports a library core must not use. */
  static final class UsesAssertJ {
    Object check(String s) {
      return assertThat(s);
    }
  }
}
