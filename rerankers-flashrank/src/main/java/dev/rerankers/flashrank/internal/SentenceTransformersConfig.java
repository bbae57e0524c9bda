package dev.rerankers.flashrank.internal;

import dev.rerankers.hub.ModelSource;
import dev.rerankers.json.JsonFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a sentence-transformers model folder says about encoding: the pooling of its {@code
 * Pooling} module ({@code modules.json} → {@code 1_Pooling/config.json}), {@code max_seq_length}
 * ({@code sentence_bert_config.json}) and the query/document prompts ({@code
 * config_sentence_transformers.json}). All optional.
 *
 * @param pooling the pooling, when the module asks for mean or CLS
 * @param unsupportedPooling the mode named when it is one this module does not implement (max, last token, ...)
 * @param maxSeqLength {@code max_seq_length}
 * @param queryPrompt the {@code query} prompt
 * @param documentPrompt the {@code document} (or {@code passage}) prompt
 */
public record SentenceTransformersConfig(
    Optional<TokenPooling> pooling,
    Optional<String> unsupportedPooling,
    OptionalInt maxSeqLength,
    Optional<String> queryPrompt,
    Optional<String> documentPrompt) {

  private static final String POOLING_TYPE = "sentence_transformers.models.Pooling";

  /** Reads the files a source has. */
  public static SentenceTransformersConfig read(ModelSource source) {
    String poolingDir = "1_Pooling";
    Optional<Path> modules = source.optionalFile("modules.json");
    if (modules.isPresent() && JsonFile.read(modules.get()) instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> m && POOLING_TYPE.equals(m.get("type")) && m.get("path") instanceof String p) {
          poolingDir = p;
        }
      }
    }
    Optional<TokenPooling> pooling = Optional.empty();
    Optional<String> unsupported = Optional.empty();
    Optional<Path> pc = poolingDir.isEmpty() ? Optional.empty() : source.optionalFile(poolingDir + "/config.json");
    if (pc.isPresent() && JsonFile.read(pc.get()) instanceof Map<?, ?> m) {
      if (Boolean.TRUE.equals(m.get("pooling_mode_cls_token"))) {
        pooling = Optional.of(TokenPooling.CLS);
      } else if (Boolean.TRUE.equals(m.get("pooling_mode_mean_tokens"))) {
        pooling = Optional.of(TokenPooling.MEAN);
      } else {
        for (String mode : List.of("pooling_mode_max_tokens", "pooling_mode_lasttoken", "pooling_mode_weightedmean_tokens",
            "pooling_mode_mean_sqrt_len_tokens")) {
          if (Boolean.TRUE.equals(m.get(mode))) {
            unsupported = Optional.of(mode);
          }
        }
      }
    }
    OptionalInt maxSeq = OptionalInt.empty();
    Optional<Path> sb = source.optionalFile("sentence_bert_config.json");
    if (sb.isPresent() && JsonFile.read(sb.get()) instanceof Map<?, ?> m && m.get("max_seq_length") instanceof Number n
        && n.intValue() > 1) {
      maxSeq = OptionalInt.of(n.intValue());
    }
    Optional<String> query = Optional.empty();
    Optional<String> document = Optional.empty();
    Optional<Path> st = source.optionalFile("config_sentence_transformers.json");
    if (st.isPresent() && JsonFile.read(st.get()) instanceof Map<?, ?> m && m.get("prompts") instanceof Map<?, ?> prompts) {
      query = string(prompts.get("query"));
      document = string(prompts.get("document")).or(() -> string(prompts.get("passage")));
    }
    return new SentenceTransformersConfig(pooling, unsupported, maxSeq, query, document);
  }

  private static Optional<String> string(Object o) {
    return o instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
  }
}
