package dev.rerankers;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.rerankers.archfixture.user.ImportsForeignInternal;
import dev.rerankers.testing.ModuleRules;
import org.junit.jupiter.api.Test;

/** The shared module rule is not vacuous: a class importing another module's internal package breaks it. */
class ModuleRulesTest {
  @Test
  void a_foreign_internal_import_fails_the_rule() {
    assertThatThrownBy(() -> ModuleRules.noOtherModulesInternals("dev.rerankers.archfixture.user")
            .check(new ClassFileImporter().importClasses(ImportsForeignInternal.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(ImportsForeignInternal.class.getName())
        .hasMessageContaining("dev.rerankers.archfixture.internal.ForeignInternal");
  }
}
