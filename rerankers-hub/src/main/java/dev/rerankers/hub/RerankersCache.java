package dev.rerankers.hub;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.UUID;

/**
 * The folder where this library keeps what it makes from models — unpacked FlashRank archives,
 * recorded ONNX graphs — as opposed to downloads, which stay in the Hugging Face cache: {@code
 * RERANKERS_CACHE}, else {@code $XDG_CACHE_HOME/rerankers}, else {@code ~/.cache/rerankers}. Each
 * module keeps its files in its own subfolder, and its options can point elsewhere.
 */
public final class RerankersCache {
  private RerankersCache() {}

  /** The folder, from this process's environment and {@code user.home}; absolute and normalised. */
  public static Path root() {
    return root(System.getenv(), System.getProperty("user.home", "."));
  }

  /**
   * The folder for the given environment and home directory (tests pass their own).
   *
   * @param env environment variables ({@code RERANKERS_CACHE}, {@code XDG_CACHE_HOME}); blank values are unset
   * @param home the user's home directory
   */
  public static Path root(Map<String, String> env, String home) {
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

  /**
   * Writes a small file of a cache (a marker, a manifest, a memo) so that no reader ever sees it
   * half written: into a temporary sibling, then renamed onto {@code target}, replacing it
   * (atomically where the file system can). Creates the parent folders.
   *
   * @throws IOException when the folder or the file cannot be written
   */
  public static void writeAtomically(Path target, byte[] content) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
    try {
      Files.write(tmp, content);
      moveAtomically(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Renames {@code from} onto {@code to}, replacing it, atomically where the file system can. */
  static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
