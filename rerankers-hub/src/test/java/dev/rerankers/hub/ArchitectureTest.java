package dev.rerankers.hub;

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
 * The Hub client is JDK-only above core: API-only users do not carry it, and the local backends
 * that do get no third-party library with it. It uses the JDK ({@code java.net.http}), core and
 * itself, never a backend.
 */
@AnalyzeClasses(packages = "dev.rerankers.hub", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** Packages of the modules above the Hub client. */
  static final String[] BACKENDS_AND_APPLICATIONS = {
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
  static final ArchRule HUB_DEPENDS_ON_THE_JDK_AND_CORE_ONLY =
      classes()
          .that()
          .resideInAPackage("dev.rerankers.hub..")
          .should()
          .onlyDependOnClassesThat(
              resideInAnyPackage("java..", "javax..")
                  .or(resideInAnyPackage("dev.rerankers..").and(not(resideInAnyPackage(BACKENDS_AND_APPLICATIONS))))
                  .as("the JDK, rerankers-core or the Hub client itself"));

  /** The rule is not vacuous: a Hub class using a third-party library breaks it. */
  @ArchTest
  static void the_rule_catches_a_third_party_import(JavaClasses ignored) {
    JavaClasses fixture = new ClassFileImporter().importClasses(UsesAssertJ.class);
    assertThat(HUB_DEPENDS_ON_THE_JDK_AND_CORE_ONLY.evaluate(fixture).hasViolation()).isTrue();
  }

  /** A test-only class in the Hub package that imports a library the Hub client must not use. */
  static final class UsesAssertJ {
    Object check(String s) {
      return assertThat(s);
    }
  }
}
