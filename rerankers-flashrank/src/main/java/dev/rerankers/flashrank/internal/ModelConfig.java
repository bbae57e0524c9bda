package dev.rerankers.flashrank.internal;

import dev.rerankers.InferenceException;
import dev.rerankers.json.JsonFile;
import dev.rerankers.tokenizers.PaddedBatch;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The facts of a Hugging Face {@code config.json} this module checks inputs against before any
 * native call: vocabulary size, segment vocabulary, position table. All optional (0 when absent):
 * an ONNX export does not always come with its config.
 *
 * @param modelType {@code model_type}, lower case, or empty
 * @param architectures {@code architectures}
 * @param vocabSize {@code vocab_size}
 * @param typeVocabSize {@code type_vocab_size}
 * @param maxTokens the longest input the position table allows: {@code max_position_embeddings},
 *     less the RoBERTa-family offset ({@code pad_token_id + 1}) where positions start after the pad id
 * @param numLabels classifier outputs from {@code id2label}, 0 when unknown
 */
public record ModelConfig(
    String modelType, List<String> architectures, long vocabSize, long typeVocabSize, int maxTokens, int numLabels) {

  private static final System.Logger LOG = System.getLogger(ModelConfig.class.getName());

  /** Nothing known. */
  public static final ModelConfig UNKNOWN = new ModelConfig("", List.of(), 0, 0, 0, 0);

  private static final Set<String> OFFSET_POSITIONS = Set.of("roberta", "xlm-roberta", "camembert", "longformer");

  /** Reads config.json; {@link #UNKNOWN} for a null path. */
  public static ModelConfig read(Path configJson) {
    if (configJson == null) {
      return UNKNOWN;
    }
    Map<String, Object> m = JsonFile.readObject(configJson);
    String type = m.get("model_type") instanceof String s ? s.toLowerCase(Locale.ROOT) : "";
    List<String> arch = m.get("architectures") instanceof List<?> l
        ? l.stream().filter(String.class::isInstance).map(String.class::cast).toList()
        : List.of();
    long vocab = number(m.get("vocab_size"));
    long types = number(m.get("type_vocab_size"));
    long positions = number(m.get("max_position_embeddings"));
    if (positions > 0 && OFFSET_POSITIONS.contains(type)) {
      long pad = m.get("pad_token_id") instanceof Number n ? n.longValue() : 1;
      positions -= pad + 1;
    }
    int labels = m.get("id2label") instanceof Map<?, ?> id2label ? id2label.size() : 0;
    if (labels == 0) {
      labels = (int) number(m.get("num_labels"));
    }
    return new ModelConfig(type, arch, vocab, types, (int) Math.min(Integer.MAX_VALUE, Math.max(0, positions)), labels);
  }

  /**
   * Checks a batch against the limits known.
   *
   * @throws InferenceException naming the offending value and the limit
   */
  public void check(PaddedBatch b, boolean feedsTypes, String label) {
    if (maxTokens > 0 && b.length() > maxTokens) {
      throw new InferenceException(label + ": an input of " + b.length() + " tokens exceeds the model's "
          + maxTokens + " positions; lower maxLength to at most " + maxTokens);
    }
    if (vocabSize > 0) {
      for (long id : b.inputIds()) {
        if (id < 0 || id >= vocabSize) {
          throw new InferenceException(label + ": token id " + id + " is outside the vocabulary of " + vocabSize
              + "; the tokenizer does not belong to this model");
        }
      }
    }
    if (feedsTypes && typeVocabSize > 0 && b.hasTokenTypeIds()) {
      for (long t : b.tokenTypeIds()) {
        if (t < 0 || t >= typeVocabSize) {
          throw new InferenceException(label + ": token type id " + t + " is outside the model's "
              + typeVocabSize + " segment types");
        }
      }
    }
  }

  /**
   * The truncation length: {@code wanted}, lowered to the position table when that is smaller
   * (with a log line).
   */
  public int capLength(int wanted, String label) {
    if (maxTokens > 0 && wanted > maxTokens) {
      LOG.log(Level.INFO, "{0}: truncating at {1} tokens, the model''s position table, instead of {2}",
          label, maxTokens, wanted);
      return maxTokens;
    }
    return wanted;
  }

  private static long number(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }
}
