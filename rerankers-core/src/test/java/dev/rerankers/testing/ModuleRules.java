package dev.rerankers.testing;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The architecture rules every module checks on its compiled main classes (ArchUnit). Shipped in
 * rerankers-core's test-jar; a module's test needs {@code archunit-junit5} in test scope.
 *
 * <pre>{@code
 * ModuleRules.noOtherModulesInternals("dev.rerankers.langchain4j")
 *     .check(ModuleRules.mainClasses("dev.rerankers.langchain4j"));
 * }</pre>
 */
public final class ModuleRules {
  private ModuleRules() {}

  /** The module's main (non-test) classes under {@code modulePackage}. */
  public static JavaClasses mainClasses(String modulePackage) {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(modulePackage);
  }

  /**
   * No class of the module uses another rerankers module's {@code internal} package: those carry
   * no compatibility promise, so only their own module may import them.
   *
   * @param modulePackage the module's root package, e.g. {@code "dev.rerankers.langchain4j"}
   */
  public static ArchRule noOtherModulesInternals(String modulePackage) {
    String module = modulePackage + "..";
    return noClasses().that().resideInAPackage(module)
        .should().dependOnClassesThat(resideInAPackage("dev.rerankers..internal..").and(not(resideInAPackage(module))))
        .because("another module's internal package is not API");
  }
}
