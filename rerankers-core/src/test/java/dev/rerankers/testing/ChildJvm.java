package dev.rerankers.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class's {@code main} in a new JVM with the test classpath, so a test can exercise code
 * that might kill its process (a native abort, an out-of-memory) and observe the death instead of
 * dying with it. System properties {@code ai.djl.*}, {@code rerankers.*} and {@code
 * OPT_OUT_TRACKING} are passed on.
 *
 * <p>Shipped in rerankers-core's test-jar for the other modules' tests.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * What a finished child did.
   *
   * @param exitCode the exit status (134 = SIGABRT, 137 = killed); -1 when it was killed on timeout
   * @param stdout everything it printed on standard output
   * @param stderr everything it printed on standard error
   * @param timedOut whether it ran past the deadline and was killed
   */
  public record Result(int exitCode, String stdout, String stderr, boolean timedOut) {
    /** Whether the JVM ended normally (exit 0). */
    public boolean exitedNormally() {
      return !timedOut && exitCode == 0;
    }

    /** The stdout lines. */
    public List<String> lines() {
      return stdout.lines().toList();
    }

    @Override
    public String toString() {
      return "ChildJvm.Result[exit=" + exitCode + (timedOut ? ", timed out" : "") + ", stdout=" + tail(stdout)
          + ", stderr=" + tail(stderr) + "]";
    }

    private static String tail(String s) {
      return s.length() > 3000 ? "…" + s.substring(s.length() - 3000) : s;
    }
  }

  /** The command line that runs {@code main} with these JVM options and arguments. */
  public static List<String> command(Class<?> main, List<String> jvmOptions, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    cmd.add("-Xss4m");
    System.getProperties().stringPropertyNames().stream()
        .filter(k -> k.startsWith("ai.djl.") || k.startsWith("rerankers.") || k.equals("OPT_OUT_TRACKING"))
        .sorted()
        .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add(main.getName());
    cmd.addAll(args);
    return cmd;
  }

  /** Starts the child with stdout piped to the caller and stderr written to {@code stderrFile}. */
  public static Process start(Class<?> main, List<String> jvmOptions, List<String> args, Path stderrFile)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command(main, jvmOptions, args));
    pb.redirectError(stderrFile.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    return pb.start();
  }

  /** Runs the child to its end, or kills it after {@code timeout}. */
  public static Result run(Class<?> main, Duration timeout, List<String> jvmOptions, String... args) {
    try {
      Path out = Files.createTempFile("child-jvm", ".out");
      Path err = Files.createTempFile("child-jvm", ".err");
      try {
        ProcessBuilder pb = new ProcessBuilder(command(main, jvmOptions, List.of(args)));
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
          p.destroyForcibly().waitFor();
        }
        return new Result(done ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8), !done);
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run a child JVM: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a child JVM", e);
    }
  }

  /** The test classpath (surefire's, when running under surefire). */
  public static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    return String.join(File.pathSeparator, cp.split(File.pathSeparator));
  }
}
