package dev.rerankers.cli.eval;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one {@code rerankers eval} run: the setup and one row per ranker, the first
 * stage first.
 *
 * @param dataset the dataset as given
 * @param split the qrels split
 * @param firstStage where candidates came from
 * @param depth candidates per query (BM25) and the recall cut-off
 * @param k the cut-off of nDCG and MRR
 * @param rows the first-stage row, then one per reranker in the order given
 */
public record EvalReport(String dataset, String split, FirstStage firstStage, int depth, int k, List<ReportRow> rows) {

  public EvalReport {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(firstStage, "firstStage");
    rows = List.copyOf(rows);
  }
}
