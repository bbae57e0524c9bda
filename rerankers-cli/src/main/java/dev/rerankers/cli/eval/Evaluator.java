package dev.rerankers.cli.eval;

import dev.rerankers.Document;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerException;
import dev.rerankers.Result;
import dev.rerankers.Usage;
import dev.rerankers.eval.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs an evaluation: a first stage gives each query its candidates, each reranker reorders them,
 * and every ranking is scored with {@link Metrics} against the qrels, with per-query latency,
 * throughput and (for hosted rankers) usage and cost.
 *
 * <p>Latency is the wall-clock time of one {@code rankDocuments} call (one query and all its
 * candidates), measured after {@code warmup} untimed calls on the first query. Throughput is
 * documents ranked per second of that time. Scored rankings are evaluated in {@code trec_eval}
 * order ({@link Metrics#trecOrder}); rankers that only order documents are evaluated in their
 * order.
 *
 * <p>Not thread-safe; one instance runs one evaluation at a time.
 */
public final class Evaluator {

  /**
   * What to evaluate.
   *
   * @param firstStage where candidates come from
   * @param depth BM25 candidates per query, and the recall cut-off
   * @param k the cut-off of nDCG and MRR
   * @param maxQueries evaluate only the first N judged queries ({@code <= 0}: all)
   * @param warmup untimed calls before timing each ranker
   */
  public record Options(FirstStage firstStage, int depth, int k, int maxQueries, int warmup) {
    public Options {
      Objects.requireNonNull(firstStage, "firstStage");
      if (depth < 1) {
        throw new IllegalArgumentException("--depth must be >= 1, got " + depth);
      }
      if (k < 1) {
        throw new IllegalArgumentException("--k must be >= 1, got " + k);
      }
      if (warmup < 0) {
        throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
      }
    }
  }

  private final BeirDataset dataset;
  private final Options options;
  private final Progress.Factory progress;
  private final Consumer<String> status;

  /**
   * @param status receives one-line status messages (index built, ranker loaded, failures)
   */
  public Evaluator(BeirDataset dataset, Options options, Progress.Factory progress, Consumer<String> status) {
    this.dataset = Objects.requireNonNull(dataset, "dataset");
    this.options = Objects.requireNonNull(options, "options");
    this.progress = Objects.requireNonNull(progress, "progress");
    this.status = Objects.requireNonNull(status, "status");
  }

  /** One query's candidates from the first stage; {@code scores} is {@code null} when unscored. */
  record Candidates(String queryId, List<String> docIds, double[] scores) {}

  /**
   * Evaluates the first stage and then each reranker spec (loaded with {@link Reranker#load}). A
   * reranker that fails to load or to rank gets a failed row; the others still run.
   *
   * @param prices prices by spec, for the cost column
   */
  public EvalReport run(List<String> specs, Map<String, Price> prices) {
    List<String> queryIds = dataset.evaluatedQueries(options.maxQueries());
    if (queryIds.isEmpty()) {
      throw new DatasetException(
          "no query of " + dataset.name() + " has judgments in qrels/" + dataset.split() + ".tsv; nothing to evaluate");
    }
    List<ReportRow> rows = new ArrayList<>();
    List<Candidates> candidates = new ArrayList<>();
    rows.add(firstStage(queryIds, candidates));
    for (String spec : specs) {
      rows.add(rerank(spec, candidates, prices.get(spec)));
    }
    return new EvalReport(dataset.name(), dataset.split(), options.firstStage(), options.depth(), options.k(), rows);
  }

  private ReportRow firstStage(List<String> queryIds, List<Candidates> out) {
    long[] nanos = new long[queryIds.size()];
    Map<String, List<ReportRow.RankedDoc>> rankings = new LinkedHashMap<>();
    long ranked = 0;
    Bm25Index index = null;
    long loadStart = System.nanoTime();
    try {
      if (options.firstStage() == FirstStage.BM25) {
        index = Bm25Index.build(dataset.corpus().values());
        status.accept(String.format(
            Locale.ROOT, "indexed %d documents for BM25 in %.1f s", index.size(), (System.nanoTime() - loadStart) / 1e9));
        for (int w = 0; w < options.warmup(); w++) {
          index.search(dataset.queries().get(queryIds.get(0)), options.depth());
        }
      }
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      try (Progress bar = progress.start("first stage (" + options.firstStage() + ")", queryIds.size())) {
        for (int i = 0; i < queryIds.size(); i++) {
          String qid = queryIds.get(i);
          long t0 = System.nanoTime();
          Candidates c = candidatesFor(qid, index);
          nanos[i] = System.nanoTime() - t0;
          out.add(c);
          ranked += c.docIds().size();
          rankings.put(qid, ranking(c.docIds(), c.scores()));
          bar.step();
        }
      }
      LatencyStats latency = LatencyStats.ofNanos(nanos);
      Double docsPerSecond =
          options.firstStage() == FirstStage.BM25 && latency.totalMillis() > 0
              ? ranked / (latency.totalMillis() / 1000)
              : null;
      return scored(ReportRow.FIRST_STAGE, options.firstStage().toString(), rankings, latency, docsPerSecond,
          loadSeconds, Map.of(), null);
    } finally {
      if (index != null) {
        index.close();
      }
    }
  }

  private Candidates candidatesFor(String qid, Bm25Index index) {
    switch (options.firstStage()) {
      case BM25: {
        List<Bm25Index.Hit> hits = index.search(dataset.queries().get(qid), options.depth());
        List<String> ids = new ArrayList<>(hits.size());
        double[] scores = new double[hits.size()];
        for (int i = 0; i < hits.size(); i++) {
          ids.add(hits.get(i).id());
          scores[i] = hits.get(i).score();
        }
        return new Candidates(qid, ids, scores);
      }
      case JUDGED:
        return new Candidates(qid, new ArrayList<>(dataset.qrels().get(qid).keySet()), null);
      case ALL:
        return new Candidates(qid, new ArrayList<>(dataset.corpus().keySet()), null);
      default:
        throw new IllegalStateException("unknown first stage " + options.firstStage());
    }
  }

  private ReportRow rerank(String spec, List<Candidates> candidates, Price price) {
    String shown = Secrets.mask(spec);
    long loadStart = System.nanoTime();
    Reranker ranker;
    try {
      ranker = Reranker.load(spec);
    } catch (RerankerException | IllegalArgumentException e) {
      status.accept("cannot load " + shown + ": " + e.getMessage());
      return ReportRow.failed(shown, "load failed: " + e.getMessage());
    }
    double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
    String label = ranker.info().label();
    status.accept(String.format(Locale.ROOT, "loaded %s (%s) in %.1f s", shown, label, loadSeconds));
    try (ranker; Progress bar = progress.start(shown, candidates.size())) {
      for (int w = 0; w < options.warmup(); w++) {
        Candidates first = candidates.get(0);
        ranker.rankDocuments(dataset.queries().get(first.queryId()), documents(first));
      }
      long[] nanos = new long[candidates.size()];
      long ranked = 0;
      Usage usage = Usage.NONE;
      String answeredBy = label;
      Map<String, List<ReportRow.RankedDoc>> rankings = new LinkedHashMap<>();
      for (int i = 0; i < candidates.size(); i++) {
        Candidates c = candidates.get(i);
        List<Document> docs = documents(c);
        long t0 = System.nanoTime();
        RankedResults results = ranker.rankDocuments(dataset.queries().get(c.queryId()), docs);
        nanos[i] = System.nanoTime() - t0;
        ranked += docs.size();
        usage = usage.plus(results.usage());
        if (!results.answeredBy().isEmpty()) {
          answeredBy = results.answeredBy();
        }
        rankings.put(c.queryId(), ranking(results));
        bar.step();
      }
      LatencyStats latency = LatencyStats.ofNanos(nanos);
      Double docsPerSecond = latency.totalMillis() > 0 ? ranked / (latency.totalMillis() / 1000) : null;
      Map<String, Double> perQuery = new LinkedHashMap<>();
      for (Map.Entry<String, Long> e : usage.units().entrySet()) {
        perQuery.put(e.getKey(), e.getValue() / (double) candidates.size());
      }
      Double cost = null;
      if (price != null) {
        if (perQuery.containsKey(price.unit())) {
          cost = price.cost(perQuery.get(price.unit())) * 1000;
        } else {
          status.accept("--price for " + shown + " is per " + price.unit() + ", but the ranker reported "
              + (perQuery.isEmpty() ? "no usage" : "only " + String.join(", ", perQuery.keySet()))
              + "; no cost computed");
        }
      }
      return scored(shown, answeredBy, rankings, latency, docsPerSecond, loadSeconds, perQuery, cost == null ? null
          : new CostAndPrice(cost, price));
    } catch (RerankerException | IllegalArgumentException | UnsupportedOperationException e) {
      status.accept(shown + " failed: " + e.getMessage());
      return ReportRow.failed(shown, e.getMessage());
    }
  }

  private record CostAndPrice(double costPer1000, Price price) {}

  private ReportRow scored(
      String spec,
      String ranker,
      Map<String, List<ReportRow.RankedDoc>> rankings,
      LatencyStats latency,
      Double docsPerSecond,
      double loadSeconds,
      Map<String, Double> usagePerQuery,
      CostAndPrice cost) {
    List<Double> ndcg = new ArrayList<>();
    List<Double> mrr = new ArrayList<>();
    List<Double> map = new ArrayList<>();
    List<Double> recall = new ArrayList<>();
    for (Map.Entry<String, List<ReportRow.RankedDoc>> e : rankings.entrySet()) {
      List<String> order = evaluationOrder(e.getValue());
      Map<String, Integer> qrels = dataset.qrels().get(e.getKey());
      ndcg.add(Metrics.ndcg(order, qrels, options.k()));
      mrr.add(Metrics.reciprocalRank(order, qrels, options.k()));
      map.add(Metrics.averagePrecision(order, qrels));
      recall.add(Metrics.recall(order, qrels, options.depth()));
    }
    return new ReportRow(
        spec,
        ranker,
        Metrics.mean(ndcg),
        Metrics.mean(mrr),
        Metrics.mean(map),
        Metrics.mean(recall),
        latency,
        docsPerSecond,
        rankings.size(),
        loadSeconds,
        usagePerQuery,
        cost == null ? null : cost.costPer1000(),
        cost == null ? null : cost.price(),
        null,
        rankings);
  }

  /** Scored runs in trec_eval order; unscored ones as ranked. */
  static List<String> evaluationOrder(List<ReportRow.RankedDoc> ranking) {
    boolean scored = !ranking.isEmpty() && ranking.stream().allMatch(d -> d.score() != null);
    if (scored) {
      Map<String, Double> scores = new LinkedHashMap<>();
      for (ReportRow.RankedDoc d : ranking) {
        scores.put(d.id(), d.score());
      }
      return Metrics.trecOrder(scores);
    }
    List<String> ids = new ArrayList<>(ranking.size());
    for (ReportRow.RankedDoc d : ranking) {
      ids.add(d.id());
    }
    return ids;
  }

  private List<Document> documents(Candidates c) {
    List<Document> docs = new ArrayList<>(c.docIds().size());
    for (String id : c.docIds()) {
      docs.add(Document.of(id, dataset.corpus().get(id).fullText()));
    }
    return docs;
  }

  private static List<ReportRow.RankedDoc> ranking(List<String> ids, double[] scores) {
    List<ReportRow.RankedDoc> out = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      out.add(new ReportRow.RankedDoc(ids.get(i), scores == null ? null : scores[i]));
    }
    return out;
  }

  private static List<ReportRow.RankedDoc> ranking(RankedResults results) {
    List<ReportRow.RankedDoc> out = new ArrayList<>(results.size());
    for (Result r : results) {
      out.add(new ReportRow.RankedDoc(String.valueOf(r.id()), r.score()));
    }
    return out;
  }
}
