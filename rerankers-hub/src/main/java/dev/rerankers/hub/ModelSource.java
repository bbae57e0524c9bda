package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerSpec;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

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
   * hfToken} and {@code cacheDir} options, over the {@code HF_*} environment variables).
   *
   * @throws ModelLoadException when the model is neither an existing folder nor a valid repo id
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

  /**
   * Several required files, fetched if needed, by path in the order asked.
   *
   * @throws ModelLoadException naming every missing file at once
   */
  default Map<String, Path> require(Collection<String> paths) {
    Map<String, Path> found = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String p : paths) {
      Optional<Path> f = optionalFile(p);
      if (f.isPresent()) {
        found.put(p, f.get());
      } else {
        missing.add(p);
      }
    }
    if (!missing.isEmpty()) {
      throw new ModelLoadException(id() + " has no " + String.join(", ", missing));
    }
    return Collections.unmodifiableMap(found);
  }

  /**
   * Every file whose path matches a glob, fetched, by path in sorted order; empty when none does.
   * In the glob, {@code *} and {@code ?} stay within one folder, {@code **} crosses folders, and
   * {@code {a,b}} is an alternative: {@code "*.safetensors"}, {@code "onnx/**"}, {@code
   * "model-*-of-*.safetensors"}.
   */
  default Map<String, Path> matching(String glob) {
    Pattern p = Globs.toRegex(glob);
    Map<String, Path> out = new LinkedHashMap<>();
    for (String f : files()) {
      if (p.matcher(f).matches()) {
        out.put(f, file(f));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The folder holding the files under their repository paths: the folder itself for a local
   * source, the snapshot folder for a Hub repository (holding the files fetched so far), for
   * libraries that take a folder.
   */
  default Path directory() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no folder");
  }

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
