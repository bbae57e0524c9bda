package dev.rerankers.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel says about this process (Linux /proc): seconds since it started, read the same way
 * as the Python peer reads it, so time to first result includes the JVM's start on one side and the
 * interpreter's and imports on the other; and the peak resident set (VmHWM).
 */
final class ProcessStats {
  /** Linux's USER_HZ: /proc/self/stat counts start time in these ticks. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcessStats() {}

  /** Seconds since this process started, or NaN off Linux. */
  static double sinceStart() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long startTicks = Long.parseLong(fields[19]);
      double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
      return uptime - startTicks / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Peak resident set size in MiB (VmHWM), or NaN off Linux. */
  static double peakRssMb() {
    return statusKb("VmHWM:") / 1024.0;
  }

  /** Which engines' native libraries this process has mapped (libtorch, onnxruntime, tokenizers). */
  static java.util.List<String> nativeLibraries() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
        for (String lib : new String[] {"libtorch_cpu", "libonnxruntime", "libtokenizers", "libdjl_torch"}) {
          if (line.contains(lib)) {
            out.add(lib);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return java.util.List.of();
    }
    return java.util.List.copyOf(out);
  }

  private static double statusKb(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Double.parseDouble(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
