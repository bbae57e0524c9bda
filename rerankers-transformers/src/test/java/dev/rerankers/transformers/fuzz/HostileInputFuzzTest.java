package dev.rerankers.transformers.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fuzzes the files a checkpoint is loaded from: seeded mutants of the golden end-to-end
 * checkpoints' {@code config.json}, {@code tokenizer.json} and {@code model.safetensors} header
 * (BERT, XLM-R, ModernBERT, DeBERTa-v2, ELECTRA, T5), each loaded and run on documents of unusual
 * characters in a child JVM ({@link FuzzWorker}). Every mutant must end in a typed exception (a
 * {@code RerankerException}) or a load and a rank that succeed: a JVM death, a hang past the
 * deadline, an out-of-memory or an untyped exception fails the test, naming the mutant (kind, seed,
 * index) so it can be rebuilt alone with {@link FuzzWorker#build}.
 *
 * <p>The default build runs {@code rerankers.fuzz.mutants} = 50 mutants per file kind; {@code mvn
 * -Pfuzz verify} runs 2,000. {@code rerankers.fuzz.seed} picks another seed. The counts per
 * outcome are printed at the end of each kind.
 */
class HostileInputFuzzTest {
  static final int MUTANTS = Integer.getInteger("rerankers.fuzz.mutants", 50);
  static final long SEED = Long.getLong("rerankers.fuzz.seed", 15L);
  static final long DEADLINE_S = Long.getLong("rerankers.fuzz.deadlineSeconds", 120L);
  /** Prints every mutant's outcome line (with the exception's message) when set. */
  static final boolean VERBOSE = Boolean.getBoolean("rerankers.fuzz.verbose");
  /** The first mutant after a (re)start also pays for loading the native libraries. */
  static final long START_DEADLINE_S = DEADLINE_S + 120;

  @TempDir Path work;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"config", "tokenizer", "safetensors"})
  void every_mutant_ends_in_a_typed_error_or_a_successful_rank(String kind) throws Exception {
    Map<String, Integer> counts = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    int next = 0;
    while (next < MUTANTS) {
      next = runWorker(kind, next, counts, failures);
    }
    StringBuilder report = new StringBuilder("fuzz " + FuzzWorker.fileOf(kind) + ": " + MUTANTS + " mutants (seed " + SEED + "):");
    counts.forEach((k, v) -> report.append("\n  ").append(String.format("%-28s %5d", k, v)));
    System.out.println(report);
    assertThat(failures).as("mutants that killed the JVM, hung, ran out of memory or threw an untyped exception "
        + "(rebuild one with FuzzWorker.build(kind, seed, index, dir))\n" + report).isEmpty();
  }

  /** Runs one child from {@code from}; returns the index to continue from. */
  private int runWorker(String kind, int from, Map<String, Integer> counts, List<String> failures) throws Exception {
    Path err = Files.createTempFile(work, "worker", ".err");
    Process p = ChildJvm.start(FuzzWorker.class, List.of("-Xmx1g", "-XX:ActiveProcessorCount=2"),
        List.of(kind, Long.toString(SEED), Integer.toString(from), Integer.toString(MUTANTS), work.toString()), err);
    p.getOutputStream().close();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the child died; the missing END says so
      }
      lines.add("\u0000EOF");
    }, "fuzz-reader");
    reader.setDaemon(true);
    reader.start();
    int current = -1;
    boolean first = true;
    while (true) {
      String line = lines.poll(first ? START_DEADLINE_S : DEADLINE_S, TimeUnit.SECONDS);
      if (line == null) {
        p.destroyForcibly().waitFor();
        int hung = current >= 0 ? current : from;
        record(counts, "FAIL hang");
        failures.add(kind + " mutant " + hung + ": no answer in " + DEADLINE_S + " s (hang)");
        return hung + 1;
      }
      if (line.equals("\u0000EOF")) {
        int code = p.waitFor();
        if (current < 0 && code == 0) {
          return MUTANTS;
        }
        int dead = current >= 0 ? current : from;
        String why = code == 3 ? "out of memory" : "JVM died, exit " + code;
        record(counts, code == 3 ? "FAIL out of memory" : "FAIL JVM death");
        failures.add(kind + " mutant " + dead + ": " + why + "; stderr: " + tail(err));
        return dead + 1;
      }
      if (line.startsWith("START ")) {
        current = Integer.parseInt(line.substring(6).trim());
        first = false;
      } else if (line.startsWith("END ")) {
        if (VERBOSE) {
          System.out.println(kind + " " + line);
        }
        String[] parts = line.split(" ", 5);
        int i = Integer.parseInt(parts[1]);
        String outcome = parts[2];
        if (outcome.equals("OK")) {
          record(counts, "load + rank ok");
        } else if (outcome.equals("TYPED")) {
          record(counts, parts[3]);
        } else {
          record(counts, "FAIL untyped " + parts[3]);
          failures.add(kind + " mutant " + i + ": " + line);
        }
        current = -1;
      } else if (line.equals("DONE")) {
        p.waitFor(30, TimeUnit.SECONDS);
        return MUTANTS;
      }
    }
  }

  private static void record(Map<String, Integer> counts, String outcome) {
    counts.merge(outcome, 1, Integer::sum);
  }

  private static String tail(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8);
      return s.length() > 2000 ? "…" + s.substring(s.length() - 2000) : s;
    } catch (IOException e) {
      return "(unreadable)";
    }
  }
}
