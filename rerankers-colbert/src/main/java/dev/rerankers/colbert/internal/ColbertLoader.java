package dev.rerankers.colbert.internal;

import dev.rerankers.CheckpointException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.transformers.checkpoint.TensorInfo;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.models.ConfigJson;
import dev.rerankers.transformers.models.Encoder;
import dev.rerankers.transformers.models.Encoders;
import dev.rerankers.transformers.nn.Linear;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a ColBERT checkpoint for the {@code colbert} type: a Hugging Face folder whose safetensors
 * hold the encoder (BERT, RoBERTa/XLM-R, ELECTRA, DeBERTa-v2, ModernBERT, under their usual base
 * prefix) plus the bias-free projection ({@code linear.weight} in Stanford's HF_ColBERT and
 * rerankers' ColBERTModel; also {@code colbert_linear.weight}, {@code model.linear.weight}, {@code
 * bert.linear.weight}). The projection size (128, 96, ...) is the weight's shape: Python picks it
 * from the model name ("small" → 96) and refuses a checkpoint whose weight disagrees, so the
 * shape is always the size Python runs with.
 */
public final class ColbertLoader {
  private static final System.Logger LOG = System.getLogger(ColbertLoader.class.getName());

  /** The projection keys tried, in order, when the {@code projection} option is not set. */
  static final List<String> PROJECTION_KEYS =
      List.of("linear.weight", "colbert_linear.weight", "model.linear.weight", "bert.linear.weight");

  private ColbertLoader() {}

  /** Loads the ranker a spec describes, with its checked options. */
  public static LateInteractionScorer load(RerankerSpec spec, ColbertSettings o) {
    ModelSource source = ModelSource.of(spec);
    ConfigJson config = ConfigJson.read(source.file("config.json"));
    Weights w = Weights.open(source, o.placement());
    HfTokenizer tokenizer = null;
    try {
      Encoder encoder = Encoders.load(w, config);
      String key = projectionKey(w, o.projection().orElse(null), source.id());
      TensorInfo t = w.info(key).orElseThrow();
      if (t.shape().length != 2 || t.shape()[1] != encoder.hiddenSize()) {
        throw new CheckpointException("projection " + key + " of " + source.id() + " has shape "
            + Arrays.toString(t.shape()) + "; expected [dim, " + encoder.hiddenSize() + "] (hidden_size)");
      }
      Linear projection = new Linear(w.get(key), null);
      String bias = key.substring(0, key.length() - "weight".length()) + "bias";
      if (w.has(bias)) {
        LOG.log(System.Logger.Level.WARNING, "{0} has {1}; ColBERT''s projection is bias-free (Python ignores it too)",
            source.id(), bias);
        w.ignore(k -> k.equals(bias));
      }
      w.checkAllUsed();
      int positions = config.integer("max_position_embeddings", encoder.maxLength());
      int docMax = positions - 2;
      if (o.documentLength().isPresent()) {
        if (o.documentLength().getAsInt() > docMax) {
          LOG.log(System.Logger.Level.WARNING, "maxLength {0} exceeds max_position_embeddings - 2 = {1} of {2}; using {1}",
              o.documentLength().getAsInt(), docMax, source.id());
        } else {
          docMax = o.documentLength().getAsInt();
        }
      }
      if (docMax < 3) {
        throw new ModelLoadException(source.id() + " allows documents of " + docMax + " tokens; ColBERT needs at least 3");
      }
      tokenizer = HfTokenizer.builder(source).maxLength(docMax).build();
      SpecialTokenLayout layout = SpecialTokenLayout.of(tokenizer, source.id());
      long queryMarker = marker(tokenizer, o.queryToken(), source.id());
      long documentMarker = marker(tokenizer, o.documentToken(), source.id());
      long mask = specialId(tokenizer, "mask_token").orElseThrow(() -> new ModelLoadException("the tokenizer of "
          + source.id() + " has no mask_token; ColBERT pads queries with it"));
      ColbertRecipe recipe = new ColbertRecipe(tokenizer, layout, queryMarker, documentMarker, mask, docMax,
          encoder.maxLength());
      LateInteractionModel model = LateInteractionModel.onRuntime(spec.model(), encoder, List.of(projection), List.of(w),
          tokenizer.padId(), o.graph(), source, List.of(source.file("config.json")), "colbert", key);
      Map<String, String> details = new LinkedHashMap<>();
      details.put("architecture", String.join(",", config.architectures()) + " (" + config.modelType() + ")");
      details.put("projection", key);
      return new LateInteractionScorer(spec.model(), recipe, model, new DocumentCache(o.cacheBytes()), o.batchSize(),
          details, tokenizer);
    } catch (RuntimeException e) {
      w.close();
      if (tokenizer != null) {
        tokenizer.close();
      }
      throw e;
    }
  }

  static String projectionKey(Weights w, String option, String model) {
    if (option != null) {
      if (!w.has(option)) {
        throw new CheckpointException(model + " has no tensor " + option + " (option projection)");
      }
      return option;
    }
    List<String> found = PROJECTION_KEYS.stream().filter(w::has).toList();
    if (found.size() == 1) {
      return found.get(0);
    }
    if (found.isEmpty()) {
      throw new CheckpointException(model + " holds no ColBERT projection (tried " + PROJECTION_KEYS
          + "); name it with the option projection=<key>, or load a sentence-transformers "
          + "(modules.json + 1_Dense) checkpoint with type pylate");
    }
    throw new CheckpointException(model + " holds several projection candidates " + found + "; choose one with "
        + "the option projection");
  }

  /** A marker token's id; Python's convert_tokens_to_ids falls back to the unknown token's id. */
  static long marker(HfTokenizer tokenizer, String token, String model) {
    var id = tokenizer.tokenId(token);
    if (id.isPresent()) {
      return id.getAsLong();
    }
    var unk = specialId(tokenizer, "unk_token");
    if (unk.isPresent()) {
      LOG.log(System.Logger.Level.WARNING, "{0} is not in the vocabulary of {1}: using the unknown token''s id {2}, "
          + "as Python does", token, model, unk.get());
      return unk.get();
    }
    throw new ModelLoadException("marker token " + token + " is not in the vocabulary of " + model
        + " and it has no unk_token; set the options queryToken/documentToken");
  }

  /** The id of a special token named in the tokenizer config ({@code mask_token}, {@code unk_token}...). */
  static java.util.Optional<Long> specialId(HfTokenizer tokenizer, String role) {
    return tokenizer.config().specialToken(role).flatMap(t -> {
      var id = tokenizer.tokenId(t);
      return id.isPresent() ? java.util.Optional.of(id.getAsLong()) : java.util.Optional.empty();
    });
  }
}
