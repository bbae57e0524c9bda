package dev.rerankers.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a run happens on, and its load, from /proc. */
final class Machine {
  private Machine() {}

  /** E.g. "2 CPUs, Intel(R) Xeon(R) ..., 23 GiB RAM, Linux". */
  static String describe() {
    String cpu = "unknown CPU";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim().replaceAll("\\s+", " ");
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the CPU stays unnamed
    }
    long memGib = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memGib = Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown memory
    }
    return String.format(Locale.ROOT, "%d CPUs, %s, %d GiB RAM, %s", Runtime.getRuntime().availableProcessors(), cpu,
        memGib, System.getProperty("os.name"));
  }

  /** The 1-minute load average, or NaN. */
  static double load() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** /proc/loadavg's three averages, e.g. "0.42 0.61 0.70". */
  static String loadLine() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /**
   * Waits until the 1-minute load average is below {@code threshold} (checking every minute, at most
   * {@code maxMinutes}); returns the load seen last. Prints each reading.
   */
  static double waitQuiet(double threshold, int maxMinutes) throws InterruptedException {
    double load = load();
    for (int m = 0; m < maxMinutes && load >= threshold; m++) {
      System.out.printf(Locale.ROOT, "load average %.2f >= %.2f: waiting a minute (%d/%d)%n", load, threshold, m + 1,
          maxMinutes);
      Thread.sleep(60_000);
      load = load();
    }
    System.out.printf(Locale.ROOT, "load average %.2f%s%n", load, load >= threshold ? " (NOT quiet: figures marked)" : "");
    return load;
  }
}
