package dev.rerankers.cli.eval;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The three files of a BEIR-layout dataset, wherever they are (one folder, or a Hub dataset
 * repository with its qrels in a companion repository).
 *
 * @param corpus {@code corpus.jsonl} (or {@code .gz})
 * @param queries {@code queries.jsonl} (or {@code .gz})
 * @param qrels the split's qrels, {@code qrels/<split>.tsv} (or {@code .gz})
 */
public record DatasetFiles(Path corpus, Path queries, Path qrels) {
  public DatasetFiles {
    Objects.requireNonNull(corpus, "corpus");
    Objects.requireNonNull(queries, "queries");
    Objects.requireNonNull(qrels, "qrels");
  }
}
