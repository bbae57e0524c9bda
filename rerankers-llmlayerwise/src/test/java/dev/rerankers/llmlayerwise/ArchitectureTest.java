package dev.rerankers.llmlayerwise;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.rerankers.llmlayerwise.archfixture.ReachesIntoAnotherModule;
import org.junit.jupiter.api.Test;

/**
 * The module's layering: it uses other modules only through their public packages, and its own
 * {@code internal} package never reaches back to the provider (the provider builds the settings
 * record the loaders read; the loaders do not read its option declarations).
 */
class ArchitectureTest {
  static final String MODULE = "dev.rerankers.llmlayerwise";

  static JavaClasses mainClasses() {
    return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(MODULE);
  }

  static ArchRule noOtherModulesInternals() {
    return noClasses().that().resideInAPackage(MODULE + "..")
        .should().dependOnClassesThat(resideInAPackage("..internal..").and(not(resideInAPackage(MODULE + ".."))))
        .because("another module's internal package carries no compatibility promise");
  }

  static ArchRule internalBelowProvider() {
    return noClasses().that().resideInAPackage(MODULE + ".internal..")
        .should().dependOnClassesThat().resideInAPackage(MODULE)
        .because("the provider imports the loaders, so the loaders must not import the provider");
  }

  @Test
  void should_use_other_modules_through_their_public_packages_only() {
    noOtherModulesInternals().check(mainClasses());
  }

  @Test
  void should_keep_the_internal_package_below_the_provider() {
    internalBelowProvider().check(mainClasses());
  }

  @Test
  void should_catch_a_reintroduced_import() throws ClassNotFoundException {
    JavaClasses bad = new ClassFileImporter().importClasses(ReachesIntoAnotherModule.class,
        Class.forName(MODULE + ".internal.ReachesBackToProvider"), LlmProvider.class);
    assertThat(noOtherModulesInternals().evaluate(bad).hasViolation()).isTrue();
    assertThat(internalBelowProvider().evaluate(bad).hasViolation()).isTrue();
  }
}
