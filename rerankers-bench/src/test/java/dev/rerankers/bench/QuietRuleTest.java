package dev.rerankers.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The quiet rule's CPU accounting: /proc/stat and /proc/PID/stat parsed from their real text, others'
 * cores from two readings, and on this machine's /proc that a reaped child's CPU (and its own child's)
 * lands in the runner's cutime + cstime, so it is not counted as someone else's.
 */
class QuietRuleTest {
  /** Read from this build machine's /proc/stat (Linux 6.x: ten fields per line). */
  static final String PROC_STAT = """
      cpu  2913605 5894 251646 1262783 5473 0 2840 8591 0 0
      cpu0 1411523 3025 113842 690098 1313 0 803 4270 0 0
      cpu1 1502081 2868 137803 572685 4159 0 2036 4321 0 0
      intr 392118220 0 9 0 0 0 0 0 0 0 0 0 0 156 0 0 0
      ctxt 700245197
      btime 1764670000
      processes 2949
      procs_running 3
      procs_blocked 0
      softirq 95042718 3 25001221 3 4001287 0 0 1042300 33121940 0 31875964
      """;

  @Test
  void should_count_busy_ticks_of_all_cpus_from_proc_stat() {
    // user + nice + system + irq + softirq + steal; idle and iowait are not busy
    assertThat(Machine.busyTicks(PROC_STAT)).isEqualTo(2913605L + 5894 + 251646 + 0 + 2840 + 8591);
    // an old kernel's shorter line (no steal, guest): the fields it has
    assertThat(Machine.busyTicks("cpu  100 2 30 5000 7 1 4\ncpu0 100 2 30 5000 7 1 4\n")).isEqualTo(100 + 2 + 30 + 1 + 4);
    assertThatThrownBy(() -> Machine.busyTicks("intr 1 2 3\n")).hasMessageContaining("no 'cpu' line");
  }

  @Test
  void should_read_own_and_children_ticks_after_the_command_name() {
    // a real /proc/PID/stat line of a JVM, its command name given spaces and parentheses
    String stat = "41877 (java (bench) x) S 41860 41860 2244 0 -1 4194304 181203 903112 12 3 1530 212 40123 3011 20 0 "
        + "38 0 2231002 4315148288 98031 18446744073709551615 1 1 0 0 0 0 4 0 16800975 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 "
        + "0 0 0\n";
    assertThat(Machine.selfTicks(stat)).containsExactly(1530 + 212, 40123 + 3011);
    assertThatThrownBy(() -> Machine.selfTicks("garbage")).hasMessageContaining("no ')'");
  }

  @Test
  void should_compute_others_cores_between_two_readings() {
    long s = 5_000_000_000L;
    // 5 s on 2 cores: the machine busy 1,000 ticks (2 cores), the runner 25, its reaped side 900 → others 75
    Machine.Cpu a = new Machine.Cpu(1_000_000, 400, 20_000, 0);
    Machine.Cpu b = new Machine.Cpu(1_001_000, 425, 20_900, s);
    assertThat(Machine.othersCores(a, b)).isCloseTo(0.15, within(1e-9));
    // the two clocks disagree a little: never below 0
    assertThat(Machine.othersCores(a, new Machine.Cpu(1_000_900, 425, 20_900, s))).isZero();
    assertThat(Machine.othersCores(null, b)).isNaN();
    assertThat(Machine.othersCores(b, a)).isNaN();
    // 3 ticks of others in a 1 ms window: the kernel counts in 10 ms ticks, so the window counts as 1 s
    // (0.03 cores), not as 30 cores
    Machine.Cpu c = new Machine.Cpu(1_000_003, 400, 20_000, 1_000_000);
    assertThat(Machine.othersCores(a, c)).isCloseTo(0.03, within(1e-9));
  }

  /** The kernel adds a reaped child's CPU, and that of the child it waited for, to this JVM's cutime + cstime. */
  @Test
  void should_count_a_reaped_child_tree_as_the_runners_own() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/stat")) && Files.isExecutable(Path.of("/bin/sh")), "Linux /proc");
    Machine.Cpu a = Machine.cpu();
    // sh runs the busy loop in a grandchild (the inner sh), which only its parent reaps
    BenchMain.run(List.of("/bin/sh", "-c", "sh -c 'i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done'; true"),
        Path.of("."), Map.of(), 120);
    Machine.Cpu b = Machine.cpu();
    double childSeconds = (b.children() - a.children()) / Machine.TICKS_PER_SECOND;
    double others = Machine.othersCores(a, b);
    System.out.printf("child tree used %.2f s of CPU; others meanwhile %.2f cores%n", childSeconds, others);
    assertThat(childSeconds).as("the busy grandchild's CPU, reaped through its parent").isGreaterThan(0.2);
    assertThat(others).isBetween(0.0, (double) Runtime.getRuntime().availableProcessors());
  }

  /** A side measured through the watch carries others' cores; the row gets the max, the rule and the wait's outcome. */
  @Test
  void should_record_others_cores_per_side_and_per_row() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/stat")), "Linux /proc");
    BenchMain.Watch watch = new BenchMain.Watch(new BenchMain.Rule(1000, 0, 0.2));
    Map<String, Object> r = watch.side(() -> new LinkedHashMap<>(Map.of("ttfr_s", 1.0)));
    assertThat(JsonOut.number(r, "others_cores")).isBetween(0.0, (double) Runtime.getRuntime().availableProcessors());
    Map<String, Object> entry = new LinkedHashMap<>();
    watch.into(entry);
    assertThat(JsonOut.number(entry, "others_cores_max")).isEqualTo(JsonOut.number(r, "others_cores"));
    assertThat(entry).containsEntry("quiet_cores", 1000.0).containsEntry("quiet_timed_out", false)
        .containsKeys("load_min", "load_max");
    // a rule no machine meets: the wait (0 minutes) runs out and says so
    BenchMain.Watch strict = new BenchMain.Watch(new BenchMain.Rule(-1, 0, 0.1));
    strict.side(() -> new LinkedHashMap<>());
    Map<String, Object> marked = new LinkedHashMap<>();
    strict.into(marked);
    assertThat(marked).containsEntry("quiet_timed_out", true);
    assertThat(Report.underLoad(marked)).isTrue();
  }
}
