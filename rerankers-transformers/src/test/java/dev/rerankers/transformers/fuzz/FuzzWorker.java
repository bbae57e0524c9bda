package dev.rerankers.transformers.fuzz;

import dev.rerankers.Reranker;
import dev.rerankers.RerankerException;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.testing.UnusualText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Child-JVM side of {@link HostileInputFuzzTest}. Arguments: file kind ({@code config}, {@code
 * tokenizer}, {@code safetensors}), seed, first and last (exclusive) mutant index, work folder.
 * For each mutant it prints {@code START i}, builds the mutant checkpoint (a copy of a golden
 * end-to-end checkpoint with one file mutated), loads it and ranks documents of unusual
 * characters, then prints {@code END i OK}, {@code END i TYPED Class} or {@code END i UNTYPED
 * Class: message}. A JVM death, a hang or an out-of-memory shows as a missing {@code END}.
 */
public final class FuzzWorker {
  /** The golden end-to-end checkpoints mutants are made from, with the type that loads them. */
  static final List<String[]> BASES = List.of(
      new String[] {"bert", "cross-encoder"},
      new String[] {"xlm-roberta", "cross-encoder"},
      new String[] {"modernbert", "cross-encoder"},
      new String[] {"deberta-v2", "cross-encoder"},
      new String[] {"electra", "cross-encoder"},
      new String[] {"t5", "t5"});

  private FuzzWorker() {}

  /** The base checkpoint of mutant {@code i}. */
  static String[] base(int i) {
    return BASES.get(Math.floorMod(i, BASES.size()));
  }

  /** The file a kind mutates. */
  static String fileOf(String kind) {
    return switch (kind) {
      case "config" -> "config.json";
      case "tokenizer" -> "tokenizer.json";
      case "safetensors" -> "model.safetensors";
      default -> throw new IllegalArgumentException("kind " + kind);
    };
  }

  /** The seed of one mutant: the run's seed and the index, so any mutant can be rebuilt alone. */
  static long mutantSeed(String kind, long seed, int i) {
    return seed * 1_000_003L + i * 31L + kind.hashCode();
  }

  /** Writes mutant {@code i} into {@code dir} and returns the model type to load it with. */
  static String build(String kind, long seed, int i, Path dir) throws IOException {
    String[] base = base(i);
    Path from = TestFiles.resource("e2e/" + base[0] + "/config.json").getParent();
    Files.createDirectories(dir);
    String mutated = fileOf(kind);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!name.equals(mutated) && !name.equals("expected.json")) {
          Files.createSymbolicLink(dir.resolve(name), f.toAbsolutePath());
        }
      }
    }
    Mutator m = new Mutator(mutantSeed(kind, seed, i));
    byte[] original = Files.readAllBytes(from.resolve(mutated));
    byte[] out;
    if (kind.equals("safetensors")) {
      out = m.mutateSafetensors(original);
    } else if (m.bytesInstead(0.05)) {
      out = m.mutateBytes(original);
    } else {
      out = m.mutateJson(new String(original, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }
    Files.write(dir.resolve(mutated), out);
    return base[1];
  }

  public static void main(String[] args) throws IOException {
    String kind = args[0];
    long seed = Long.parseLong(args[1]);
    int from = Integer.parseInt(args[2]);
    int to = Integer.parseInt(args[3]);
    Path work = Path.of(args[4]);
    for (int i = from; i < to; i++) {
      System.out.println("START " + i);
      System.out.flush();
      Path dir = work.resolve(kind + "-" + i);
      String outcome;
      try {
        String type = build(kind, seed, i, dir);
        try (Reranker ranker = Reranker.builder(dir.toString()).type(type).build()) {
          ranker.rank("what is ☃? 𝔘", UnusualText.DOCUMENTS);
        }
        outcome = "OK";
      } catch (RerankerException e) {
        outcome = "TYPED " + e.getClass().getSimpleName() + " " + oneLine(e.getMessage());
      } catch (Throwable e) {
        outcome = "UNTYPED " + e.getClass().getName() + " " + oneLine(e.getMessage()) + " at " + where(e);
      } finally {
        delete(dir);
      }
      System.out.println("END " + i + " " + outcome);
      System.out.flush();
    }
    System.out.println("DONE");
  }

  private static String where(Throwable e) {
    StackTraceElement[] st = e.getStackTrace();
    return st.length == 0 ? "?" : st[0].toString();
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "null";
    }
    String t = s.replace('\n', ' ').replace('\r', ' ');
    return t.length() > 400 ? t.substring(0, 400) + "…" : t;
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder is harmless
    }
  }
}
