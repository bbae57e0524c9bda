package dev.rerankers.tokenizers.internal;

/**
 * Moved to {@link dev.rerankers.tokenizers.DjlSettings}, its public home (other modules call it);
 * this forwarder goes once no module imports it. Not API.
 *
 * @deprecated use {@link dev.rerankers.tokenizers.DjlSettings}
 */
@Deprecated
public final class DjlSettings {
  private DjlSettings() {}

  /** See {@link dev.rerankers.tokenizers.DjlSettings#apply()}. */
  public static void apply() {
    dev.rerankers.tokenizers.DjlSettings.apply();
  }
}
