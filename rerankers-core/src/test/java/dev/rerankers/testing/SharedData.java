package dev.rerankers.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the workspace's {@code ../shared} folder (golden fixtures, datasets) for tests. Order:
 * system property {@code rerankers.shared}, environment variable {@code RERANKERS_SHARED}, then a
 * folder named {@code shared} beside the repository root, found by walking up from the working
 * directory. Tests that need it call {@link #require(String)}, which skips the test cleanly when it
 * is absent, so a fresh clone elsewhere still passes.
 *
 * <p>Shipped in rerankers-core's test-jar for the other modules' tests.
 */
public final class SharedData {
  private SharedData() {}

  /** The shared folder, if present. */
  public static Optional<Path> root() {
    String explicit = System.getProperty("rerankers.shared", System.getenv("RERANKERS_SHARED"));
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit);
      return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("pom.xml"))) {
        Path candidate = dir.resolveSibling("shared");
        if (dir.getParent() != null && Files.isDirectory(candidate.resolve("docs"))) {
          return Optional.of(candidate);
        }
      }
      dir = dir.getParent();
    }
    return Optional.empty();
  }

  /**
   * A path under the shared folder; skips the calling test (JUnit assumption) when the folder or
   * the path is absent.
   */
  public static Path require(String relative) {
    Optional<Path> root = root();
    Assumptions.assumeTrue(root.isPresent(), "../shared is absent; skipping");
    Path p = root.get().resolve(relative);
    Assumptions.assumeTrue(Files.exists(p), "../shared/" + relative + " is absent; skipping");
    return p;
  }
}
