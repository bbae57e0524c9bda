package dev.rerankers.cli;

import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerException;
import dev.rerankers.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rerankers rank}: ranks documents, one per line, for a query. */
@Command(
    name = "rank",
    mixinStandardHelpOptions = true,
    header = "Rank documents (one per line) for a query.",
    description = {
      "Ranks documents for a query. Documents are read one per line (every line is a document, ids 0..n-1 in file"
          + " order) from FILE, or from standard input with '-' (the default).",
      "Prints a table, or with --json one JSON object per line in rank order:",
      "  {\"rank\": 1, \"id\": 3, \"score\": 1.234, \"text\": \"...\"}  (score null when the ranker only orders)."
    })
final class RankCommand implements Callable<Integer> {
  private static final int TABLE_TEXT_WIDTH = 90;

  @ParentCommand RerankersCli parent;
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "SPEC",
      description = "Any config string the library accepts: a family (cross-encoder), a model id, 'type:model?key=value',"
          + " or a local folder with a type (cross-encoder:/models/my-ce).")
  String model;

  @Option(names = "--query", required = true, paramLabel = "Q", description = "The query.")
  String query;

  @Option(names = "--docs", paramLabel = "FILE|-", defaultValue = "-",
      description = "The documents, one per line (UTF-8); '-' reads standard input. Default: ${DEFAULT-VALUE}.")
  String docs;

  @Option(names = "--top-k", paramLabel = "K", description = "Print only the best K results.")
  Integer topK;

  @Option(names = "--json", description = "One JSON object per line instead of a table.")
  boolean json;

  @Override
  public Integer call() {
    if (topK != null && topK < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--top-k must be >= 1, got " + topK);
    }
    List<String> texts = readDocuments();
    PrintWriter out = spec.commandLine().getOut();
    try (Reranker ranker = Reranker.load(model)) {
      RankedResults results = ranker.rank(query, texts);
      List<Result> shown = topK == null || results.isEmpty() ? results.results() : results.topK(topK);
      if (json) {
        for (Result r : shown) {
          out.println(OneLineJson.write(jsonLine(r)));
        }
      } else {
        printTable(out, shown);
      }
      out.flush();
      spec.commandLine().getErr().printf(Locale.ROOT, "ranked %d documents with %s in %.1f ms%n",
          results.size(), results.answeredBy().isEmpty() ? ranker.info().label() : results.answeredBy(),
          results.elapsed().toNanos() / 1e6);
    }
    return 0;
  }

  static Map<String, Object> jsonLine(Result r) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("rank", r.rank());
    line.put("id", r.id());
    line.put("score", r.score());
    line.put("text", r.text());
    return line;
  }

  private static void printTable(PrintWriter out, List<Result> results) {
    int idWidth = 2;
    for (Result r : results) {
      idWidth = Math.max(idWidth, String.valueOf(r.id()).length());
    }
    out.printf(Locale.ROOT, "%4s  %10s  %-" + idWidth + "s  %s%n", "rank", "score", "id", "text");
    for (Result r : results) {
      String score = r.hasScore() ? String.format(Locale.ROOT, "%10.4f", r.score()) : String.format("%10s", "-");
      out.printf(Locale.ROOT, "%4d  %s  %-" + idWidth + "s  %s%n", r.rank(), score, r.id(), oneLine(r.text()));
    }
  }

  private static String oneLine(String text) {
    if (text == null) {
      return "<image>";
    }
    String s = text.replace('\t', ' ');
    return s.length() <= TABLE_TEXT_WIDTH ? s : s.substring(0, TABLE_TEXT_WIDTH - 1) + "…";
  }

  private List<String> readDocuments() {
    if (docs.equals("-")) {
      return readLines(parent.stdin(), "standard input");
    }
    Path file = Path.of(docs);
    try (InputStream in = Files.newInputStream(file)) {
      return readLines(in, file.toString());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--docs " + docs + ": no such file");
    } catch (IOException e) {
      throw new RerankerException("cannot read --docs " + docs + ": " + e.getMessage(), e);
    }
  }

  private static List<String> readLines(InputStream in, String what) {
    List<String> lines = new ArrayList<>();
    try {
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (lines.isEmpty() && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        lines.add(line);
      }
    } catch (IOException e) {
      throw new RerankerException("cannot read documents from " + what + ": " + e.getMessage(), e);
    }
    return lines;
  }
}
