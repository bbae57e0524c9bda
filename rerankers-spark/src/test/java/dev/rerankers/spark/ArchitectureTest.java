package dev.rerankers.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.rerankers.testing.ModuleRules;
import org.junit.jupiter.api.Test;

/** This module uses the library's public API only: no other module's {@code internal} package. */
class ArchitectureTest {
  @Test
  void main_code_uses_no_other_modules_internal_package() {
    JavaClasses main = ModuleRules.mainClasses("dev.rerankers.spark");
    assertThat(main.size()).as("classes imported").isGreaterThan(5);
    ModuleRules.noOtherModulesInternals("dev.rerankers.spark").check(main);
  }
}
