package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerSpec;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a model's files come from: a local folder used as it is, or a Hugging Face Hub repository
 * fetched on demand into the cache shared with Python's {@code huggingface_hub}. Backends ask for
 * the files they need by their path inside the repository ({@code "config.json"}, {@code
 * "onnx/model.onnx"}); only those are fetched.
 *
 * <p>Implementations are thread-safe.
 */
public interface ModelSource {

  /**
   * The source for a resolved spec: its model as a local folder when one exists at that path,
   * otherwise a Hub repository id (with the spec's {@code revision}, {@code offline}, {@code
   * hfToken} and {@code cacheDir} options).
   */
  static ModelSource of(RerankerSpec spec) {
    Path local = localFolder(spec.model());
    if (local != null) {
      return local(local);
    }
    return HubSources.remote(spec);
  }

  /** A local folder. */
  static ModelSource local(Path directory) {
    return new LocalModelSource(directory);
  }

  /** The model id, or the folder path for local sources. */
  String id();

  /** Whether this is a local folder (nothing is ever downloaded). */
  boolean isLocal();

  /**
   * A required file, fetched if needed.
   *
   * @throws ModelLoadException naming the file and the model when it does not exist
   */
  Path file(String path);

  /** An optional file, fetched if the repository has it; empty when it does not. */
  Optional<Path> optionalFile(String path);

  /** Every file path in the repository (or folder), relative, with '/' separators, sorted. */
  List<String> files();

  /** The model as a local folder if the name is an existing directory, else {@code null}. */
  static Path localFolder(String model) {
    try {
      Path p = Path.of(model);
      return Files.isDirectory(p) ? p : null;
    } catch (InvalidPathException e) {
      return null;
    }
  }
}
