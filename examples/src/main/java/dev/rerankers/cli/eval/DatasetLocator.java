package dev.rerankers.cli.eval;

import dev.rerankers.ConfigException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Turns {@code eval --dataset} into a folder: an existing BEIR-layout folder is used as it is. A
 * Hugging Face dataset id ({@code BeIR/scifact}) would be fetched through the Hub client; that is
 * not wired yet, so it fails with a message saying what to do instead.
 */
public final class DatasetLocator {
  private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");

  private DatasetLocator() {}

  /**
   * The dataset folder.
   *
   * @throws DatasetException when the argument is neither a folder nor a Hub id
   * @throws ConfigException for a Hub id (not supported yet)
   */
  public static Path locate(String dataset) {
    if (dataset == null || dataset.isBlank()) {
      throw new DatasetException("--dataset is empty; pass a BEIR-layout folder");
    }
    Path p;
    try {
      p = Path.of(dataset);
    } catch (InvalidPathException e) {
      throw new DatasetException("--dataset '" + dataset + "' is not a valid path: " + e.getReason());
    }
    if (Files.isDirectory(p)) {
      return p;
    }
    if (Files.exists(p)) {
      throw new DatasetException(
          "--dataset " + dataset + " is a file; pass the folder holding corpus.jsonl, queries.jsonl and qrels/");
    }
    if (HUB_ID.matcher(dataset).matches()) {
      throw new ConfigException(
          "'" + dataset + "' is not a local folder, and fetching Hugging Face Hub datasets is not supported yet;"
              + " download the dataset in the BEIR layout (corpus.jsonl, queries.jsonl, qrels/test.tsv) and pass"
              + " its folder");
    }
    throw new DatasetException(
        "dataset folder " + dataset + " does not exist; pass a folder holding corpus.jsonl, queries.jsonl and qrels/");
  }
}
