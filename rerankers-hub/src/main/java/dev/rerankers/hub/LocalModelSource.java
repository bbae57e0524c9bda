package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A model in a local folder: nothing is downloaded, paths may not escape the folder. */
final class LocalModelSource implements ModelSource {
  private final Path dir;

  LocalModelSource(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(this.dir)) {
      throw new ModelLoadException("model folder " + this.dir + " does not exist or is not a directory");
    }
  }

  @Override
  public String id() {
    return dir.toString();
  }

  @Override
  public boolean isLocal() {
    return true;
  }

  @Override
  public Path file(String path) {
    return optionalFile(path)
        .orElseThrow(
            () ->
                new ModelLoadException(
                    "model folder " + dir + " has no " + path + " (files there: " + files() + ")"));
  }

  @Override
  public Optional<Path> optionalFile(String path) {
    Path p = RepoPaths.resolveInside(dir, path);
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  @Override
  public List<String> files() {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  @Override
  public Path directory() {
    return dir;
  }

  @Override
  public String toString() {
    return "ModelSource[" + dir + "]";
  }
}
