package dev.rerankers.transformers.models;

import dev.rerankers.ModelLoadException;
import dev.rerankers.transformers.checkpoint.Weights;
import java.util.List;
import java.util.Map;

/**
 * Bare encoders (last hidden states, no task head) loaded from a checkpoint by {@code model_type},
 * for backends that put their own head beside the encoder: ColBERT's {@code linear} projection,
 * a sentence-transformers {@code Dense} module. The encoder's keys may sit under the
 * architecture's base prefix ({@code bert.}, {@code roberta.}, {@code model.}, ...) or under none;
 * the saved pooler is marked unused. Keys outside the encoder are left for the caller, who
 * finishes with {@link Weights#checkAllUsed()}.
 */
public final class Encoders {

  /** model_type → the base prefixes its checkpoints use (the empty prefix is always tried last). */
  private static final Map<String, List<String>> PREFIXES = Map.of(
      "bert", List.of("bert."),
      "roberta", List.of("roberta."),
      "xlm-roberta", List.of("roberta.", "xlm_roberta."),
      "camembert", List.of("roberta.", "camembert."),
      "electra", List.of("electra."),
      "deberta-v2", List.of("deberta."),
      "modernbert", List.of("model."));

  private Encoders() {}

  /** The {@code model_type} values {@link #load} understands. */
  public static List<String> modelTypes() {
    return PREFIXES.keySet().stream().sorted().toList();
  }

  /**
   * Loads the encoder a config.json describes from {@code w}, resolving the base prefix from the
   * keys.
   *
   * @throws ModelLoadException for a model_type this module does not run (naming those it does)
   * @throws dev.rerankers.CheckpointException when the encoder's tensors are missing or misshapen
   */
  public static Encoder load(Weights w, ConfigJson config) {
    String type = config.modelType();
    List<String> prefixes = PREFIXES.get(type);
    if (prefixes == null) {
      throw new ModelLoadException(config.source() + " has model_type '" + type
          + "'; encoders run for model_type " + modelTypes());
    }
    String base = w.basePrefix("embeddings.", prefixes.toArray(String[]::new));
    return load(w, config, base);
  }

  /**
   * Loads the encoder under an explicit base prefix ({@code ""} for none).
   *
   * @throws ModelLoadException for a model_type this module does not run
   */
  public static Encoder load(Weights w, ConfigJson config, String base) {
    String type = config.modelType();
    Encoder encoder = switch (type) {
      case "bert", "roberta", "xlm-roberta", "camembert", "electra" -> BertModel.load(w, base, BertConfig.from(config));
      case "deberta-v2" -> DebertaV2Model.load(w, base, DebertaV2Config.from(config));
      case "modernbert" -> ModernBertModel.load(w, base, ModernBertConfig.from(config));
      default -> throw new ModelLoadException(config.source() + " has model_type '" + type
          + "'; encoders run for model_type " + modelTypes());
    };
    // transformers' *Model keeps a pooler the token-level heads never use
    w.ignore(k -> k.startsWith(base + "pooler."));
    return encoder;
  }
}
