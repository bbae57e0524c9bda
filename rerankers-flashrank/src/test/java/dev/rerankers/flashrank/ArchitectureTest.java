package dev.rerankers.flashrank;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.rerankers.flashrank.archfixture.ImportsForeignInternal;
import org.junit.jupiter.api.Test;

/**
 * The module's layering, checked on its compiled main classes: it never uses another module's
 * {@code internal} package (those carry no compatibility promise), and its internal loaders never
 * reach back to the provider (the provider imports the loaders, not the other way round).
 */
class ArchitectureTest {
  static final String MODULE = "dev.rerankers.flashrank..";

  static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.rerankers.flashrank");

  static final ArchRule NO_FOREIGN_INTERNALS = noClasses().that().resideInAPackage(MODULE)
      .should().dependOnClassesThat(resideInAPackage("dev.rerankers..internal..").and(not(resideInAPackage(MODULE))))
      .because("another module's internal package is not API");

  static final ArchRule INTERNAL_DOES_NOT_USE_THE_PROVIDER = noClasses().that()
      .resideInAPackage("dev.rerankers.flashrank.internal..")
      .should().dependOnClassesThat().haveFullyQualifiedName(FlashRankProvider.class.getName())
      .because("the provider imports the loaders; the loaders read only their settings records");

  @Test
  void main_code_uses_no_other_modules_internal_package() {
    assertThat(MAIN.size()).as("classes imported").isGreaterThan(20);
    NO_FOREIGN_INTERNALS.check(MAIN);
  }

  @Test
  void internal_classes_do_not_depend_on_the_provider() {
    INTERNAL_DOES_NOT_USE_THE_PROVIDER.check(MAIN);
  }

  @Test
  void a_reintroduced_foreign_internal_import_fails_the_rule() {
    JavaClasses offender = new ClassFileImporter().importClasses(ImportsForeignInternal.class);
    assertThatThrownBy(() -> NO_FOREIGN_INTERNALS.check(offender))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(ImportsForeignInternal.class.getName())
        .hasMessageContaining("dev.rerankers.archfixture.internal.ForeignInternal");
  }
}
