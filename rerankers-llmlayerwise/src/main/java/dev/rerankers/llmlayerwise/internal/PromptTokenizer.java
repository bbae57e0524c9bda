package dev.rerankers.llmlayerwise.internal;

import dev.rerankers.tokenizers.HfTokenizer;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The tokenizer calls the {@link PairPrompt}s make: {@code tokenizer(text, add_special_tokens=False)}
 * (no special tokens added, nothing truncated) and vocabulary look-ups. Thread-safe.
 */
public final class PromptTokenizer {
  private final HfTokenizer tokenizer;

  /** Wraps a tokenizer built without truncation (the prompts truncate themselves). */
  public PromptTokenizer(HfTokenizer tokenizer) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
  }

  /** Token ids of a text, without special tokens. */
  public long[] ids(String text) {
    return tokenizer.encodeRaw(text).ids();
  }

  /** The id of a vocabulary entry, if present. */
  public OptionalLong tokenId(String token) {
    return tokenizer.tokenId(token);
  }

  /** The id of a special token role ({@code "bos_token"}), if the tokenizer config names one. */
  public OptionalLong specialTokenId(String role) {
    return tokenizer.config().specialToken(role).map(tokenizer::tokenId).orElse(OptionalLong.empty());
  }

  /** The padding id. */
  public long padId() {
    return tokenizer.padId();
  }

  /** The wrapped tokenizer. */
  public HfTokenizer tokenizer() {
    return tokenizer;
  }
}
