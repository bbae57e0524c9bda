package dev.rerankers.transformers;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The module's layering, checked on its compiled main classes. From the bottom up: {@code
 * checkpoint} (safetensors, weights, placement, CPU passes) ← {@code nn} (blocks and the {@code Ops}
 * they are written against) ← {@code models} (architectures) ← {@code internal} (loaders, scorers)
 * ← the provider; beside models, {@code graph} (the ONNX recorder, graph cache and session) uses
 * only nn and checkpoint and serves internal and the provider. A layer uses only layers
 * below it, and no class uses another rerankers module's {@code internal} package (DJL's own
 * {@code ai.djl.ndarray.internal} is DJL's business). A fixture in test sources ({@code
 * checkpoint.ViolatesLayering}, outside the checked set) shows that each rule catches a violation.
 */
class LayeringTest {
  static final String ROOT = "dev.rerankers.transformers";
  static final String FIXTURE = ROOT + ".checkpoint.ViolatesLayering";
  static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(ROOT);

  /** No class of this module reaches into another module's internal package. */
  static final ArchRule NO_FOREIGN_INTERNALS = noClasses().that().resideInAPackage(ROOT + "..")
      .should().dependOnClassesThat(resideInAPackage("dev.rerankers..internal..").and(not(resideInAPackage(ROOT + ".."))))
      .because("another module's internal package has no compatibility promise; ask for a public home instead");

  /** Checkpoint I/O is the bottom layer: it knows no block, architecture, scorer or provider. */
  static final ArchRule CHECKPOINT_AT_THE_BOTTOM = noClasses().that().resideInAPackage(ROOT + ".checkpoint..")
      .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".nn..", ROOT + ".models..", ROOT + ".internal..", ROOT)
      .because("checkpoint is below nn: blocks receive Weights, checkpoints never know blocks");

  static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("provider").definedBy(ROOT)
      .layer("internal").definedBy(ROOT + ".internal..")
      .layer("models").definedBy(ROOT + ".models..")
      .layer("graph").definedBy(ROOT + ".graph..")
      .layer("nn").definedBy(ROOT + ".nn..")
      .layer("checkpoint").definedBy(ROOT + ".checkpoint..")
      .whereLayer("provider").mayNotBeAccessedByAnyLayer()
      .whereLayer("internal").mayOnlyBeAccessedByLayers("provider")
      .whereLayer("models").mayOnlyBeAccessedByLayers("provider", "internal")
      .whereLayer("graph").mayOnlyBeAccessedByLayers("provider", "internal")
      .whereLayer("nn").mayOnlyBeAccessedByLayers("internal", "models", "graph")
      .whereLayer("checkpoint").mayOnlyBeAccessedByLayers("provider", "internal", "models", "nn", "graph");

  @Test
  void the_main_classes_are_in_the_module() {
    assertThat(MAIN.contain(TransformersProvider.class)).isTrue();
    assertThat(MAIN.contain(dev.rerankers.transformers.checkpoint.Weights.class)).isTrue();
    assertThat(MAIN.contain(FIXTURE)).as("test fixtures stay out of the checked set").isFalse();
  }

  @Test
  void no_class_uses_another_modules_internal_package() {
    NO_FOREIGN_INTERNALS.check(MAIN);
  }

  @Test
  void checkpoint_uses_no_block_model_scorer_or_provider() {
    CHECKPOINT_AT_THE_BOTTOM.check(MAIN);
  }

  @Test
  void each_layer_uses_only_the_layers_below_it() {
    LAYERS.check(MAIN);
  }

  @Test
  void the_rules_catch_a_reintroduced_violation() throws ClassNotFoundException {
    JavaClasses bad = new ClassFileImporter().importClasses(Class.forName(FIXTURE));
    assertThat(NO_FOREIGN_INTERNALS.evaluate(bad).getFailureReport().getDetails())
        .anyMatch(d -> d.contains("ViolatesLayering") && d.contains("tokenizers.internal.NormalizerPatch"));
    assertThat(CHECKPOINT_AT_THE_BOTTOM.evaluate(bad).getFailureReport().getDetails())
        .anyMatch(d -> d.contains("ViolatesLayering") && d.contains("nn.Linear"));
    assertThat(LAYERS.evaluate(bad).hasViolation()).isTrue();
  }
}
