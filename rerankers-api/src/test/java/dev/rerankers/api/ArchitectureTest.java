package dev.rerankers.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.rerankers.archfixture.mine.UsesForeignInternal;
import dev.rerankers.archfixture.mine.UsesOwnInternal;
import dev.rerankers.archfixture.mine.internal.OwnInternal;
import dev.rerankers.archfixture.other.internal.Hidden;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The layering the build enforces for this module: no class of it uses another module's (or
 * library's) {@code internal} package: core's, the Hub's, a backend's, okhttp's; only their public
 * API and {@code spi}. Its own {@code dev.rerankers.api.internal} is its to use.
 */
class ArchitectureTest {
  private static final Pattern INTERNAL = Pattern.compile("(.*\\.)?internal(\\..*)?");

  /** No class under {@code root} depends on a class in an {@code internal} package that is not under {@code root}. */
  static ArchRule noForeignInternals(String root) {
    DescribedPredicate<JavaClass> foreignInternal = DescribedPredicate.describe(
        "are in an internal package of another module",
        c -> INTERNAL.matcher(c.getPackageName()).matches()
            && !(c.getPackageName().equals(root) || c.getPackageName().startsWith(root + ".")));
    return noClasses().that().resideInAPackage(root + "..")
        .should().dependOnClassesThat(foreignInternal)
        .because("modules meet through public API and spi; internal packages carry no compatibility promise");
  }

  @Test
  void the_module_uses_no_other_modules_internal_package() {
    JavaClasses main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.rerankers.api");
    assertThat(main.contain(ApiRerankerProvider.class)).as("the module's classes were imported").isTrue();
    assertThat(main.contain("dev.rerankers.api.internal.HttpEngine")).isTrue();
    noForeignInternals("dev.rerankers.api").check(main);
  }

  @Test
  void the_rule_fails_on_a_foreign_internal_import_and_allows_the_modules_own() {
    JavaClasses fixture = new ClassFileImporter().importClasses(
        UsesForeignInternal.class, UsesOwnInternal.class, OwnInternal.class, Hidden.class);
    EvaluationResult result = noForeignInternals("dev.rerankers.archfixture.mine").evaluate(fixture);
    assertThat(result.hasViolation()).isTrue();
    String report = result.getFailureReport().toString();
    assertThat(report).contains(UsesForeignInternal.class.getName()).contains(Hidden.class.getName());
    assertThat(report).doesNotContain(UsesOwnInternal.class.getName());
  }
}
