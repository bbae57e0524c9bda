package dev.rerankers.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The runner's graph cache folders (one per graph row, under its work folder): emptied, sized, compared. */
final class GraphFiles {
  private GraphFiles() {}

  /** Deletes {@code folder} and everything in it; refuses a folder outside {@code work} (never a user's cache). */
  static void empty(Path work, Path folder) throws IOException {
    Path w = work.toAbsolutePath().normalize();
    Path f = folder.toAbsolutePath().normalize();
    if (!f.startsWith(w) || f.equals(w)) {
      throw new IOException("refusing to empty " + f + ": not a folder under the work folder " + w);
    }
    if (!Files.exists(f)) {
      return;
    }
    try (Stream<Path> all = Files.walk(f)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Megabytes (MiB) of the files under {@code folder}; 0 when it is absent. */
  static double megabytes(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> all = Files.walk(folder)) {
      return all.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum() / 1048576.0;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Each recorded graph file under {@code folder} ({@code model.onnx*} and {@code graph.json}, by
   * relative path) with its size and modification time: equal stamps before and after the measured
   * sides mean that they read the recorded graph and wrote none. The cache's bookkeeping (the hash
   * memo under {@code .hashes}, {@code graph.verified}) is left out: a warm load may write it. Empty
   * when the folder is absent.
   */
  static Map<String, String> stamp(Path folder) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(folder)) {
      return out;
    }
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.filter(Files::isRegularFile).filter(GraphFiles::isRecordedGraph).toList()) {
        out.put(folder.relativize(p).toString(), Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return out;
  }

  private static boolean isRecordedGraph(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith("model.onnx") || name.equals("graph.json");
  }
}
