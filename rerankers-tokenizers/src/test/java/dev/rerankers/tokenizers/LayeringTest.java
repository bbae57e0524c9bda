package dev.rerankers.tokenizers;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The module's boundaries, checked on its compiled main classes: it uses no other module's {@code
 * internal} package, and no deep learning engine (only DJL's tokenizers binding), so ONNX Runtime
 * backends can use it without PyTorch.
 */
class LayeringTest {
  static final String ROOT = "dev.rerankers.tokenizers";
  static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(ROOT);

  @Test
  void the_main_classes_are_in_the_module() {
    assertThat(MAIN.contain(HfTokenizer.class)).isTrue();
    assertThat(MAIN.contain(LayeringTest.class)).isFalse();
  }

  @Test
  void no_class_uses_another_modules_internal_package() {
    ArchRule rule = noClasses().that().resideInAPackage(ROOT + "..")
        .should().dependOnClassesThat(resideInAPackage("dev.rerankers..internal..").and(not(resideInAPackage(ROOT + ".."))))
        .because("another module's internal package has no compatibility promise");
    rule.check(MAIN);
  }

  @Test
  void no_class_uses_a_deep_learning_engine() {
    ArchRule rule = noClasses().that().resideInAPackage(ROOT + "..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "ai.djl.engine..", "ai.djl.ndarray..", "ai.djl.pytorch..", "ai.djl.onnxruntime..", "ai.onnxruntime..")
        .because("the tokenizers serve ONNX Runtime and PyTorch backends alike");
    rule.check(MAIN);
  }
}
