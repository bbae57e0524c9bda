package dev.rerankers.flashrank.internal;

import dev.rerankers.RerankerSpec;
import dev.rerankers.flashrank.FlashRankProvider;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where this module unpacks files (FlashRank zips, the embedded MiniLM model): the {@code
 * extractDir} option, else {@code RERANKERS_CACHE}, else {@code $XDG_CACHE_HOME/rerankers}, else
 * {@code ~/.cache/rerankers}. Downloads themselves stay in the Hugging Face cache.
 */
public final class CacheDirs {
  private CacheDirs() {}

  /** The root for a spec, from the real environment. */
  public static Path root(RerankerSpec spec) {
    return root(spec, System.getenv(), System.getProperty("user.home", "."));
  }

  static Path root(RerankerSpec spec, Map<String, String> env, String home) {
    String explicit = spec.option(FlashRankProvider.EXTRACT_DIR).map(String::strip).orElse(null);
    if (explicit != null && !explicit.isEmpty()) {
      return Path.of(explicit).toAbsolutePath().normalize();
    }
    String rc = env.get("RERANKERS_CACHE");
    if (rc != null && !rc.isBlank()) {
      return Path.of(rc.strip()).toAbsolutePath().normalize();
    }
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg.strip(), "rerankers").toAbsolutePath().normalize();
    }
    return Path.of(home, ".cache", "rerankers").toAbsolutePath().normalize();
  }
}
