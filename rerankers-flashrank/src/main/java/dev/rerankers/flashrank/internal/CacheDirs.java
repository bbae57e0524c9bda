package dev.rerankers.flashrank.internal;

import dev.rerankers.hub.RerankersCache;
import dev.rerankers.spi.OptionValues;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where this module unpacks files (FlashRank zips, the embedded MiniLM model): the {@code
 * extractDir} option, else {@code RERANKERS_CACHE}, else {@code $XDG_CACHE_HOME/rerankers}, else
 * {@code ~/.cache/rerankers}. Downloads themselves stay in the Hugging Face cache.
 */
public final class CacheDirs {
  private CacheDirs() {}

  /** The {@code extractDir} option as a path; empty when unset or blank. */
  static Optional<Path> extractDir(OptionValues o) {
    return o.optional(DeclaredOptions.EXTRACT_DIR).filter(s -> !s.isEmpty()).map(Path::of);
  }

  /** The root for an {@code extractDir} option, from the real environment. */
  public static Path root(Optional<Path> extractDir) {
    return root(extractDir, System.getenv(), System.getProperty("user.home", "."));
  }

  static Path root(Optional<Path> extractDir, Map<String, String> env, String home) {
    return extractDir.map(d -> d.toAbsolutePath().normalize()).orElseGet(() -> RerankersCache.root(env, home));
  }
}
