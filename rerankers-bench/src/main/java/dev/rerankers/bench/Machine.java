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

  /** Linux's USER_HZ: /proc/stat and /proc/self/stat count CPU time in these ticks. */
  static final double TICKS_PER_SECOND = 100.0;

  /**
   * CPU time at one instant, in clock ticks: the whole machine's busy time (/proc/stat), this JVM's own
   * (utime + stime) and that of its children it has waited for (cutime + cstime: each reaped child's
   * time, including the children it waited for in turn), and when it was read.
   */
  record Cpu(long machineBusy, long self, long children, long nanos) {}

  /**
   * Others' CPU, judged before a side: the cores others used over the last sample, whether the wait
   * for a quiet machine ran out, and the 1-minute load average (shown, no longer judged).
   */
  record Quiet(double othersCores, boolean timedOut, double load) {}

  /** The CPU times now, or null off Linux. */
  static Cpu cpu() {
    try {
      long busy = busyTicks(Files.readString(Path.of("/proc/stat")));
      long[] own = selfTicks(Files.readString(Path.of("/proc/self/stat")));
      return new Cpu(busy, own[0], own[1], System.nanoTime());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Busy ticks of the whole machine from /proc/stat's text: the first ({@code cpu}, all CPUs) line's
   * user + nice + system + irq + softirq + steal (idle and iowait are not busy; guest time is already
   * counted in user and nice; steal is CPU the hypervisor gave to another machine).
   */
  static long busyTicks(String procStat) {
    for (String line : procStat.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f[0].equals("cpu")) {
        long busy = 0;
        for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
          busy += i < f.length ? Long.parseLong(f[i]) : 0;
        }
        return busy;
      }
    }
    throw new IllegalArgumentException("no 'cpu' line in /proc/stat's text");
  }

  /**
   * A process's own CPU ticks (utime + stime, fields 14-15 of /proc/PID/stat) and its waited-for
   * children's (cutime + cstime, fields 16-17), from that file's text. The fields are counted after
   * the command name's closing parenthesis, since the name may hold spaces and parentheses.
   */
  static long[] selfTicks(String pidStat) {
    int close = pidStat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not /proc/PID/stat text: no ')' after the command name");
    }
    // fields[0] is field 3 (state), so field n is fields[n - 3]
    String[] f = pidStat.substring(close + 1).trim().split("\\s+");
    return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])};
  }

  /**
   * The cores others used between two readings: the machine's busy time minus this JVM's and its reaped
   * children's (a side is one child process tree, reaped before {@code b} is read), per second of
   * wall time. Never below 0 (the two clocks are sampled differently) and never above the machine's
   * cores; a window under a second counts as one second, since the kernel counts in ticks (10 ms) and a
   * single tick over a millisecond would read as ten cores. NaN when a reading is missing.
   */
  static double othersCores(Cpu a, Cpu b) {
    if (a == null || b == null || b.nanos() <= a.nanos()) {
      return Double.NaN;
    }
    long others = (b.machineBusy() - a.machineBusy()) - (b.self() - a.self()) - (b.children() - a.children());
    double seconds = Math.max(1.0, (b.nanos() - a.nanos()) / 1e9);
    return Math.min(Runtime.getRuntime().availableProcessors(), Math.max(0, others / TICKS_PER_SECOND / seconds));
  }

  /**
   * Waits until others use fewer than {@code maxCores} cores: samples the machine for {@code
   * sampleSeconds} (nothing of the benchmark's runs then: its previous side has exited, so any busy CPU
   * but this JVM's is someone else's), and again every 10 s after that, at most {@code maxMinutes}
   * minutes; returns the last sample. Prints each reading.
   */
  static Quiet waitQuiet(double maxCores, int maxMinutes, double sampleSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + maxMinutes * 60_000_000_000L;
    double others = sample(sampleSeconds);
    while (!(others < maxCores) && !Double.isNaN(others) && System.nanoTime() < deadline) {
      System.out.printf(Locale.ROOT, "others use %.2f cores >= %.2f: waiting (up to %d min in all)%n", others,
          maxCores, maxMinutes);
      Thread.sleep(10_000);
      others = sample(sampleSeconds);
    }
    boolean timedOut = !(others < maxCores) && !Double.isNaN(others);
    double load = load();
    System.out.printf(Locale.ROOT, "others' CPU %.2f cores, load average %.2f%s%n", others, load,
        timedOut ? " (NOT quiet: figures marked)" : "");
    return new Quiet(others, timedOut, load);
  }

  /** Others' cores over {@code seconds} from now. */
  static double sample(double seconds) throws InterruptedException {
    Cpu a = cpu();
    Thread.sleep(Math.round(seconds * 1000));
    return othersCores(a, cpu());
  }
}
