package dev.rerankers.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.rerankers.testing.ModuleRules;
import org.junit.jupiter.api.Test;

/** The runner measures the backends through the public API only: no other module's {@code internal} package. */
class ArchitectureTest {
  @Test
  void main_code_uses_no_other_modules_internal_package() {
    JavaClasses main = ModuleRules.mainClasses("dev.rerankers.bench");
    assertThat(main.size()).as("classes imported").isPositive();
    ModuleRules.noOtherModulesInternals("dev.rerankers.bench").check(main);
  }
}
