package dev.rerankers.cli.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerankers.RerankerException;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an {@link EvalReport}: {@code report.json}, a Markdown table ({@code report.md}), a
 * self-contained HTML page ({@code report.html}) and one TREC run file per row ({@code
 * runs/<name>.trec}, for checking with {@code trec_eval}).
 *
 * <p>Stateless and thread-safe.
 */
public final class Reports {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Reports() {}

  /**
   * The report as JSON: {@code {"dataset": ..., "split": ..., "first_stage": ..., "depth": ...,
   * "k": ..., "rerankers": [{"spec": ..., "ndcg@10": ..., "mrr@10": ..., "map": ...,
   * "recall@100": ..., "latency_ms": {"p50": ..., "p95": ..., "p99": ...}, "docs_per_second": ...,
   * "queries": ...}, ...]}}; rows may add {@code ranker}, {@code load_seconds}, {@code
   * usage_per_query}, {@code cost_per_1000_queries}, {@code price} and {@code error}.
   */
  public static ObjectNode json(EvalReport report) {
    ObjectNode root = JSON.createObjectNode();
    root.put("dataset", report.dataset());
    root.put("split", report.split());
    root.put("first_stage", report.firstStage().toString());
    root.put("depth", report.depth());
    root.put("k", report.k());
    ArrayNode rows = root.putArray("rerankers");
    for (ReportRow r : report.rows()) {
      ObjectNode row = rows.addObject();
      row.put("spec", r.spec());
      putRounded(row, "ndcg@" + report.k(), r.ndcg(), 6);
      putRounded(row, "mrr@" + report.k(), r.mrr(), 6);
      putRounded(row, "map", r.map(), 6);
      putRounded(row, "recall@" + report.depth(), r.recall(), 6);
      ObjectNode latency = row.putObject("latency_ms");
      if (r.failed()) {
        latency.putNull("p50");
        latency.putNull("p95");
        latency.putNull("p99");
      } else {
        putRounded(latency, "p50", r.latency().percentile(50), 3);
        putRounded(latency, "p95", r.latency().percentile(95), 3);
        putRounded(latency, "p99", r.latency().percentile(99), 3);
      }
      putRounded(row, "docs_per_second", r.docsPerSecond(), 1);
      row.put("queries", r.queries());
      if (!r.ranker().isEmpty()) {
        row.put("ranker", r.ranker());
      }
      if (!r.spec().equals(ReportRow.FIRST_STAGE) && !r.failed()) {
        putRounded(row, "load_seconds", r.loadSeconds(), 3);
      }
      if (!r.usagePerQuery().isEmpty()) {
        ObjectNode usage = row.putObject("usage_per_query");
        r.usagePerQuery().forEach((unit, v) -> putRounded(usage, unit, v, 3));
      }
      if (r.costPer1000Queries() != null) {
        putRounded(row, "cost_per_1000_queries", r.costPer1000Queries(), 6);
        row.put("price", r.price().toString());
      }
      if (r.failed()) {
        row.put("error", r.error());
      }
    }
    return root;
  }

  /** The report as a Markdown table (one row per ranker), with a one-line heading. */
  public static String markdown(EvalReport report) {
    boolean cost = hasCost(report);
    int k = report.k();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s (%s), first stage %s, depth %d%n%n",
        report.dataset(), report.split(), report.firstStage(), report.depth()));
    List<String> header = new ArrayList<>(List.of(
        "reranker", "nDCG@" + k, "MRR@" + k, "MAP", "Recall@" + report.depth(),
        "p50 ms", "p95 ms", "p99 ms", "docs/s", "queries"));
    if (cost) {
      header.add("usage/query");
      header.add("cost/1k queries");
    }
    sb.append("| ").append(String.join(" | ", header)).append(" |\n");
    sb.append("|---");
    sb.append("|---:".repeat(header.size() - 1)).append("|\n");
    for (ReportRow r : report.rows()) {
      List<String> cells = new ArrayList<>();
      cells.add(r.spec().replace("|", "\\|"));
      if (r.failed()) {
        cells.add("failed: " + r.error().replace("|", "\\|").replace('\n', ' '));
        for (int i = 2; i < header.size(); i++) {
          cells.add("");
        }
      } else {
        cells.add(fmt(r.ndcg(), 4));
        cells.add(fmt(r.mrr(), 4));
        cells.add(fmt(r.map(), 4));
        cells.add(fmt(r.recall(), 4));
        cells.add(fmt(r.latency().percentile(50), 2));
        cells.add(fmt(r.latency().percentile(95), 2));
        cells.add(fmt(r.latency().percentile(99), 2));
        cells.add(r.docsPerSecond() == null ? "-" : fmt(r.docsPerSecond(), 0));
        cells.add(Integer.toString(r.queries()));
        if (cost) {
          cells.add(usage(r.usagePerQuery()));
          cells.add(r.costPer1000Queries() == null ? "-" : fmt(r.costPer1000Queries(), 4));
        }
      }
      sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
    return sb.toString();
  }

  /**
   * Writes report.json, report.md, report.html and runs/*.trec into {@code dir} (created if
   * needed), replacing earlier ones.
   *
   * @return the files written
   */
  public static List<Path> writeAll(EvalReport report, Path dir) {
    try {
      Files.createDirectories(dir.resolve("runs"));
      List<Path> written = new ArrayList<>();
      Path json = dir.resolve("report.json");
      Files.writeString(json, JSON.writeValueAsString(json(report)) + "\n", StandardCharsets.UTF_8);
      written.add(json);
      Path md = dir.resolve("report.md");
      Files.writeString(md, markdown(report), StandardCharsets.UTF_8);
      written.add(md);
      Path html = dir.resolve("report.html");
      Files.writeString(html, HtmlReport.render(report), StandardCharsets.UTF_8);
      written.add(html);
      for (ReportRow r : report.rows()) {
        if (r.failed()) {
          continue;
        }
        Path run = dir.resolve("runs").resolve(fileName(r.spec()) + ".trec");
        try (Writer w = Files.newBufferedWriter(run, StandardCharsets.UTF_8)) {
          writeRun(r, w);
        }
        written.add(run);
      }
      return written;
    } catch (IOException e) {
      throw new RerankerException("cannot write the report to " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * One row's rankings in TREC run format: {@code qid Q0 docid rank score tag}; rankers without
   * scores get {@code 1/rank} as score so {@code trec_eval} keeps their order.
   */
  static void writeRun(ReportRow row, Writer w) throws IOException {
    String tag = fileName(row.spec());
    for (Map.Entry<String, List<ReportRow.RankedDoc>> e : row.rankings().entrySet()) {
      List<ReportRow.RankedDoc> docs = e.getValue();
      for (int i = 0; i < docs.size(); i++) {
        ReportRow.RankedDoc d = docs.get(i);
        double score = d.score() != null ? d.score() : 1.0 / (i + 1);
        w.write(e.getKey() + " Q0 " + d.id() + " " + (i + 1) + " " + score + " " + tag + "\n");
      }
    }
  }

  /** A file-name-safe version of a spec. */
  static String fileName(String spec) {
    String s = spec.replaceAll("[^A-Za-z0-9._-]+", "_");
    s = s.replaceAll("^[._]+", "");
    return s.isEmpty() ? "run" : s.length() > 100 ? s.substring(0, 100) : s;
  }

  static boolean hasCost(EvalReport report) {
    return report.rows().stream().anyMatch(r -> !r.usagePerQuery().isEmpty() || r.costPer1000Queries() != null);
  }

  static String usage(Map<String, Double> perQuery) {
    if (perQuery.isEmpty()) {
      return "-";
    }
    List<String> parts = new ArrayList<>();
    perQuery.forEach((unit, v) -> parts.add(fmt(v, 1) + " " + unit));
    return String.join(", ", parts);
  }

  static String fmt(Double v, int decimals) {
    return v == null ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static void putRounded(ObjectNode node, String key, Double value, int decimals) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      node.putNull(key);
    } else {
      node.put(key, BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_EVEN).doubleValue());
    }
  }
}
