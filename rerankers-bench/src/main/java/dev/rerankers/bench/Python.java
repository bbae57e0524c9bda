package dev.rerankers.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the bench's Python scripts through {@code pyref} (the shared Debian chroot with transformers,
 * torch, onnxruntime, PIL), from a folder that holds the repository and the shared folder, so that
 * every path given is visible inside the chroot.
 *
 * @param pyref the pyref script
 * @param scripts the folder of the bench's Python scripts
 * @param shared the shared folder (golden fixtures, SciFact)
 * @param workdir the folder pyref runs in (binds)
 * @param env extra environment (thread counts, allocator settings)
 */
record Python(Path pyref, Path scripts, Path shared, Path workdir, Map<String, String> env) {

  Path script(String name) {
    return scripts.resolve(name);
  }

  /** Runs a script (path first in {@code args}); returns its output; fails on a non-zero exit or timeout. */
  String run(List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(pyref.toString(), "--vision", "run"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workdir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Path log = Files.createTempFile("rerankers-bench-py", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " ran past " + timeoutSeconds + " s; its output: " + log);
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "):\n" + tail(out));
      }
      Files.delete(log);
      return out;
    } finally {
      p.destroy();
    }
  }

  static String tail(String s) {
    return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
  }
}
