package dev.rerankers.cli;

import dev.rerankers.cli.eval.BeirDataset;
import dev.rerankers.cli.eval.BeirReader;
import dev.rerankers.cli.eval.DatasetLocator;
import dev.rerankers.cli.eval.EvalReport;
import dev.rerankers.cli.eval.Evaluator;
import dev.rerankers.cli.eval.FirstStage;
import dev.rerankers.cli.eval.Price;
import dev.rerankers.cli.eval.Reports;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rerankers eval}: quality, latency and cost of rerankers on a BEIR-format dataset. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    header = "Evaluate rerankers on a BEIR-format dataset: quality, latency, cost.",
    sortOptions = false,
    description = {
      "Evaluates rerankers on a dataset in the BEIR layout (corpus.jsonl, queries.jsonl, qrels/<split>.tsv):"
          + " a first stage gives each judged query its candidates, each reranker reorders them, and every ranking"
          + " is scored with nDCG@k, MRR@k, MAP and Recall@depth (trec_eval's definitions), next to per-query latency"
          + " (p50/p95/p99), throughput and, for hosted rankers, usage and cost.",
      "The first stage's own ranking is always the first row, 'first-stage'; omit --rerankers to evaluate it alone.",
      "Prints a Markdown table; --report DIR also writes report.json, report.md, report.html and TREC run files."
    })
final class EvalCommand implements Callable<Integer> {

  @ParentCommand RerankersCli parent;
  @Spec CommandSpec spec;

  @Option(names = "--dataset", required = true, paramLabel = "DIR|HUB_ID",
      description = "A BEIR-layout folder (files may be .gz), or a Hugging Face dataset id in that layout"
          + " (mteb/scifact; BEIR's own uploads with qrels in <id>-qrels), fetched into the Hub cache.")
  String dataset;

  @Option(names = "--rerankers", split = ",", paramLabel = "SPEC",
      description = "Rerankers to compare, comma-separated or repeated: any config string (dense, cross-encoder, cohere, ...).")
  List<String> rerankers = new ArrayList<>();

  @Option(names = "--first-stage", paramLabel = "bm25|judged|all", defaultValue = "bm25",
      converter = FirstStageConverter.class,
      description = "Candidates: bm25 (Lucene BM25, k1=0.9 b=0.4, top --depth), judged (each query's judged documents),"
          + " all (the whole corpus). Default: ${DEFAULT-VALUE}.")
  FirstStage firstStage;

  @Option(names = "--depth", paramLabel = "N", defaultValue = "100",
      description = "BM25 candidates per query, and the Recall cut-off. Default: ${DEFAULT-VALUE}.")
  int depth;

  @Option(names = "--k", paramLabel = "K", defaultValue = "10", description = "Cut-off of nDCG and MRR. Default: ${DEFAULT-VALUE}.")
  int k;

  @Option(names = "--queries", paramLabel = "N", description = "Evaluate only the first N judged queries.")
  Integer queries;

  @Option(names = "--split", paramLabel = "NAME", defaultValue = "test", description = "The qrels split. Default: ${DEFAULT-VALUE}.")
  String split;

  @Option(names = "--report", paramLabel = "DIR", description = "Also write report.json, report.md, report.html and runs/*.trec here.")
  Path report;

  @Option(names = "--price", paramLabel = "SPEC=AMOUNT/UNIT",
      description = "Price of a reranker's usage unit, e.g. cohere=2/1000search_units or jina=0.02/1Mtokens"
          + " (repeatable); adds the cost per 1,000 queries.")
  List<String> prices = new ArrayList<>();

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "1",
      description = "Untimed calls before timing each ranker. Default: ${DEFAULT-VALUE}.")
  int warmup;

  @Option(names = "--progress", negatable = true, description = "Show progress bars with ETA (default: when on a terminal).")
  Boolean progress;

  @Override
  public Integer call() {
    // bad option values are usage errors (exit 2, with the usage), as picocli's own checks are
    if (queries != null && queries < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--queries must be >= 1, got " + queries);
    }
    if (depth < 1 || k < 1 || warmup < 0) {
      String what = depth < 1 ? "--depth must be >= 1, got " + depth
          : k < 1 ? "--k must be >= 1, got " + k : "--warmup must be >= 0, got " + warmup;
      throw new CommandLine.ParameterException(spec.commandLine(), what);
    }
    List<String> specs = new ArrayList<>(new LinkedHashSet<>(trimmed(rerankers)));
    Map<String, Price> priceBySpec = new LinkedHashMap<>();
    for (String p : prices) {
      Price price = Price.parse(p);
      if (!specs.contains(price.spec())) {
        throw new IllegalArgumentException(
            "--price names '" + price.spec() + "', which is not among --rerankers " + specs
                + "; write the spec exactly as given to --rerankers");
      }
      priceBySpec.put(price.spec(), price);
    }
    Evaluator.Options options = new Evaluator.Options(firstStage, depth, k, queries == null ? 0 : queries, warmup);
    PrintWriter err = spec.commandLine().getErr();
    long t0 = System.nanoTime();
    BeirDataset data = BeirReader.read(DatasetLocator.locate(dataset, split), split, dataset);
    err.printf(Locale.ROOT, "read %s: %d documents, %d queries, %d judged queries in %s%n",
        dataset, data.corpus().size(), data.queries().size(), data.qrels().size(), "qrels/" + split + ".tsv");
    Evaluator evaluator = new Evaluator(data, options, parent.progress(progress), err::println);
    EvalReport result = evaluator.run(specs, priceBySpec);
    PrintWriter out = spec.commandLine().getOut();
    out.print(Reports.markdown(result));
    out.flush();
    if (report != null) {
      List<Path> written = Reports.writeAll(result, report);
      err.println("wrote " + written.size() + " files to " + report + " (report.json, report.md, report.html, runs/)");
    }
    err.printf(Locale.ROOT, "done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    boolean anyFailed = result.rows().stream().anyMatch(r -> r.failed());
    return anyFailed ? 1 : 0;
  }

  private static List<String> trimmed(List<String> specs) {
    List<String> out = new ArrayList<>();
    for (String s : specs) {
      if (s != null && !s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  /** Parses bm25, judged or all. */
  static final class FirstStageConverter implements ITypeConverter<FirstStage> {
    @Override
    public FirstStage convert(String value) {
      return FirstStage.parse(value);
    }
  }
}
