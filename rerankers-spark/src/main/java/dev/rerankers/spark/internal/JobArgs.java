package dev.rerankers.spark.internal;

import dev.rerankers.spark.OnError;
import dev.rerankers.spark.RerankOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code RerankJob}'s command line, parsed and checked; every problem is an {@link
 * IllegalArgumentException} naming the flag. Not API.
 *
 * @param master the Spark master for a run outside spark-submit ({@code local[2]}), or null
 * @param conf extra Spark settings from {@code --conf key=value}
 * @param inputFormat parquet, jsonl or csv; null to tell from the path
 * @param outputFormat parquet or jsonl
 * @param qrels judgments to evaluate input and output order with, or null
 * @param overwrite replace an existing output folder
 */
public record JobArgs(
    RerankOptions options,
    String input,
    String output,
    String inputFormat,
    String outputFormat,
    String qrels,
    String master,
    Map<String, String> conf,
    boolean overwrite,
    boolean help) {

  /** The usage text. */
  public static final String USAGE = String.join("\n",
      "Usage: RerankJob --model SPEC --input PATH --output PATH [options]",
      "       (bin/rerankers-spark --master local[N] ... runs it without a Spark installation)",
      "",
      "Reranks query-document pairs: input rows {query_id, query, doc_id, text, ...any other column};",
      "output rows are the input's columns plus score and rank (1 = best of its query).",
      "",
      "  --model SPEC            the ranker, any rerankers config string (dense, cross-encoder:/models/x, ...)",
      "  --input PATH            Parquet, JSON Lines or CSV (with a header), a file or a folder of part files",
      "  --output PATH           a folder of part files",
      "  --input-format F        parquet | jsonl | csv (default: from the path's extension or its part files)",
      "  --output-format F       parquet | jsonl (default: parquet)",
      "  --qrels PATH            judgments (BEIR qrels TSV or TREC qrels): print nDCG@10, MRR@10 and MAP of",
      "                          the input order and the reranked order",
      "  --top-k K               keep the first K ranks of each query (default: every row)",
      "  --on-error fail|null    a row that cannot be scored fails the job (default) or gets a null score and",
      "                          the reason in an error column",
      "  --query-id-col, --query-col, --doc-id-col, --text-col NAME   input column names",
      "  --image-col NAME        column of image file paths (image rankers)",
      "  --score-col, --rank-col, --error-col NAME                    output column names",
      "  --batch-pairs N         pairs per model call, across the queries of a partition (default 1024)",
      "  --partitions N          partitions to group the queries into (default: automatic)",
      "  --overwrite             replace the output folder if it exists",
      "  --master URL            Spark master when not started by spark-submit (e.g. local[2])",
      "  --conf KEY=VALUE        a Spark setting (repeatable)",
      "  --help                  this text");

  /** Parses {@code args}. */
  public static JobArgs parse(String... args) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> conf = new LinkedHashMap<>();
    boolean overwrite = false;
    boolean help = false;
    List<String> flags = List.of("--model", "--input", "--output", "--input-format", "--output-format", "--qrels",
        "--top-k", "--on-error", "--query-id-col", "--query-col", "--doc-id-col", "--text-col", "--image-col",
        "--score-col", "--rank-col", "--error-col", "--batch-pairs", "--partitions", "--master", "--conf");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0 && flags.contains(a.substring(0, eq))) {
        value = a.substring(eq + 1);
        a = a.substring(0, eq);
      }
      switch (a) {
        case "--help", "-h" -> help = true;
        case "--overwrite" -> overwrite = true;
        default -> {
          if (!flags.contains(a)) {
            throw new IllegalArgumentException("unknown argument '" + a + "' (see --help)");
          }
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(a + " needs a value");
            }
            value = args[++i];
          }
          if (a.equals("--conf")) {
            int e = value.indexOf('=');
            if (e <= 0) {
              throw new IllegalArgumentException("--conf needs KEY=VALUE, got '" + value + "'");
            }
            conf.put(value.substring(0, e), value.substring(e + 1));
          } else if (values.put(a, value) != null) {
            throw new IllegalArgumentException(a + " is given twice");
          }
        }
      }
    }
    if (help) {
      return new JobArgs(null, null, null, null, "parquet", null, null, Map.of(), false, true);
    }
    for (String required : List.of("--model", "--input", "--output")) {
      if (!values.containsKey(required)) {
        throw new IllegalArgumentException(required + " is required (see --help)");
      }
    }
    RerankOptions.Builder b = RerankOptions.builder(values.get("--model"));
    if (values.containsKey("--query-id-col")) {
      b.queryIdCol(values.get("--query-id-col"));
    }
    if (values.containsKey("--query-col")) {
      b.queryCol(values.get("--query-col"));
    }
    if (values.containsKey("--doc-id-col")) {
      b.docIdCol(values.get("--doc-id-col"));
    }
    if (values.containsKey("--text-col")) {
      b.textCol(values.get("--text-col"));
    }
    if (values.containsKey("--image-col")) {
      b.imageCol(values.get("--image-col"));
    }
    if (values.containsKey("--score-col")) {
      b.scoreCol(values.get("--score-col"));
    }
    if (values.containsKey("--rank-col")) {
      b.rankCol(values.get("--rank-col"));
    }
    if (values.containsKey("--error-col")) {
      b.errorCol(values.get("--error-col"));
    }
    if (values.containsKey("--top-k")) {
      b.topK(integer(values, "--top-k"));
    }
    if (values.containsKey("--on-error")) {
      b.onError(OnError.parse(values.get("--on-error")));
    }
    if (values.containsKey("--batch-pairs")) {
      b.batchPairs(integer(values, "--batch-pairs"));
    }
    if (values.containsKey("--partitions")) {
      b.numPartitions(integer(values, "--partitions"));
    }
    String inputFormat = values.containsKey("--input-format") ? format(values.get("--input-format"), true) : null;
    String outputFormat = values.containsKey("--output-format") ? format(values.get("--output-format"), false) : "parquet";
    return new JobArgs(b.build(), values.get("--input"), values.get("--output"), inputFormat, outputFormat,
        values.get("--qrels"), values.get("--master"), conf, overwrite, false);
  }

  /** parquet, jsonl (also json, ndjson) or, for input, csv. */
  public static String format(String name, boolean input) {
    String f = name.strip().toLowerCase(Locale.ROOT);
    switch (f) {
      case "parquet":
        return "parquet";
      case "jsonl", "json", "ndjson":
        return "jsonl";
      case "csv":
        if (input) {
          return "csv";
        }
        break;
      default:
        break;
    }
    throw new IllegalArgumentException((input ? "--input-format must be parquet, jsonl or csv" : "--output-format must be parquet or jsonl")
        + ", got '" + name + "'");
  }

  /**
   * The format a file name stands for ({@code .parquet}, {@code .jsonl}/{@code .json}/{@code
   * .ndjson}, {@code .csv}, each optionally compressed), or null.
   */
  public static String formatOf(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    for (String c : List.of(".gz", ".bz2", ".zst", ".snappy", ".lz4", ".deflate")) {
      if (n.endsWith(c)) {
        n = n.substring(0, n.length() - c.length());
      }
    }
    if (n.endsWith(".parquet")) {
      return "parquet";
    }
    if (n.endsWith(".jsonl") || n.endsWith(".json") || n.endsWith(".ndjson")) {
      return "jsonl";
    }
    if (n.endsWith(".csv")) {
      return "csv";
    }
    return null;
  }

  private static int integer(Map<String, String> values, String flag) {
    try {
      return Integer.parseInt(values.get(flag).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be an integer, got '" + values.get(flag) + "'");
    }
  }

  /** The arguments as messages show them (the spec masked). */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    parts.add("model=" + (options == null ? null : options.maskedSpec()));
    parts.add("input=" + input);
    parts.add("output=" + output);
    return "JobArgs[" + String.join(", ", parts) + "]";
  }
}
