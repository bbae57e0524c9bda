package dev.rerankers.llmlayerwise.internal;

import java.util.Arrays;

/**
 * One (query, document) prompt as token ids, unpadded, with the lengths BAAI's token compression
 * needs.
 *
 * @param ids the prompt's token ids
 * @param queryLength tokens before the passage ({@code [bos] A: query \n} for BGE prompts; 0 when
 *     not applicable)
 * @param promptLength tokens after the passage ({@code \n prompt}; 0 when not applicable)
 * @param truncated whether the query or the document was cut to fit the length budget
 */
public record PromptTokens(long[] ids, int queryLength, int promptLength, boolean truncated) {
  public PromptTokens {
    ids = ids.clone();
    if (queryLength < 0 || promptLength < 0 || queryLength + promptLength > ids.length) {
      throw new IllegalArgumentException("query " + queryLength + " + prompt " + promptLength
          + " tokens exceed the " + ids.length + " prompt tokens");
    }
  }

  /** A prompt without passage boundaries. */
  public static PromptTokens of(long[] ids, boolean truncated) {
    return new PromptTokens(ids, 0, 0, truncated);
  }

  /** The ids (a copy). */
  @Override
  public long[] ids() {
    return ids.clone();
  }

  /** The number of tokens. */
  public int length() {
    return ids.length;
  }

  /** Tokens of the passage between query and prompt. */
  public int passageLength() {
    return ids.length - queryLength - promptLength;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PromptTokens p && Arrays.equals(ids, p.ids) && queryLength == p.queryLength
        && promptLength == p.promptLength && truncated == p.truncated;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ids) * 31 + queryLength;
  }

  @Override
  public String toString() {
    return "PromptTokens[" + ids.length + " tokens, query " + queryLength + ", prompt " + promptLength
        + (truncated ? ", truncated" : "") + "]";
  }
}
