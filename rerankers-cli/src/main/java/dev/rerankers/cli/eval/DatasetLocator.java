package dev.rerankers.cli.eval;

import dev.rerankers.RerankerException;
import dev.rerankers.hub.HubClient;
import dev.rerankers.hub.HubRepo;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Turns {@code eval --dataset} into the dataset's files: a BEIR-layout folder is used as it is; a
 * Hugging Face dataset id ({@code mteb/scifact}, {@code BeIR/scifact}) is fetched into the Hub
 * cache. In a Hub repository the files are {@code corpus.jsonl}, {@code queries.jsonl} and {@code
 * qrels/<split>.tsv} (each may be {@code .gz}); when the qrels are not there, they are looked for
 * as {@code <split>.tsv} in the companion repository {@code <id>-qrels}, where BEIR's own uploads
 * keep them. Only the three files are downloaded.
 *
 * <p>Stateless and thread-safe.
 */
public final class DatasetLocator {
  private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");

  private DatasetLocator() {}

  /**
   * The files of a dataset folder or Hub dataset id; the Hub client is configured from the {@code
   * HF_*} environment (endpoint, cache, token, offline) as Python's {@code huggingface_hub} is.
   *
   * @throws DatasetException when the argument is neither a folder nor a Hub id, or the Hub
   *     repository does not hold the BEIR files
   */
  public static DatasetFiles locate(String dataset, String split) {
    return locate(dataset, split, HubClient::fromEnvironment);
  }

  /** Like {@link #locate(String, String)} with the Hub client to use for dataset ids. */
  public static DatasetFiles locate(String dataset, String split, Supplier<HubClient> hub) {
    if (dataset == null || dataset.isBlank()) {
      throw new DatasetException("--dataset is empty; pass a BEIR-layout folder or a Hub dataset id");
    }
    Path p;
    try {
      p = Path.of(dataset);
    } catch (InvalidPathException e) {
      p = null;
    }
    if (p != null && Files.isDirectory(p)) {
      return BeirReader.files(p, split);
    }
    if (p != null && Files.exists(p)) {
      throw new DatasetException(
          "--dataset " + dataset + " is a file; pass the folder holding corpus.jsonl, queries.jsonl and qrels/");
    }
    if (!HUB_ID.matcher(dataset).matches()) {
      throw new DatasetException(
          "dataset folder " + dataset + " does not exist; pass a folder holding corpus.jsonl, queries.jsonl and"
              + " qrels/, or a Hugging Face dataset id such as mteb/scifact");
    }
    return fromHub(hub.get(), dataset, split);
  }

  private static DatasetFiles fromHub(HubClient client, String id, String split) {
    HubRepo repo = client.dataset(id);
    Set<String> files;
    try {
      files = Set.copyOf(repo.files());
    } catch (RerankerException e) {
      throw new DatasetException(
          "'" + id + "' is not a local folder, and the Hub dataset could not be listed: " + e.getMessage(), e);
    }
    String corpus = first(files, "corpus.jsonl", "corpus.jsonl.gz");
    String queries = first(files, "queries.jsonl", "queries.jsonl.gz");
    if (corpus == null || queries == null) {
      throw new DatasetException(
          "Hub dataset " + id + " has no corpus.jsonl and queries.jsonl (or .gz) at its top level, so it is not in"
              + " the BEIR layout; its files: " + sample(files));
    }
    String qrels = first(files, "qrels/" + split + ".tsv", "qrels/" + split + ".tsv.gz");
    Path qrelsFile;
    if (qrels != null) {
      qrelsFile = repo.file(qrels);
    } else {
      HubRepo companion = client.dataset(id + "-qrels");
      Set<String> qfiles;
      try {
        qfiles = Set.copyOf(companion.files());
      } catch (RerankerException e) {
        throw new DatasetException(
            "Hub dataset " + id + " has no qrels/" + split + ".tsv, and its companion " + id + "-qrels could not be"
                + " listed (" + e.getMessage() + ")", e);
      }
      String q = first(qfiles, split + ".tsv", split + ".tsv.gz", "qrels/" + split + ".tsv");
      if (q == null) {
        throw new DatasetException(
            "neither Hub dataset " + id + " nor " + id + "-qrels has qrels for split '" + split + "'; files of "
                + id + "-qrels: " + sample(qfiles));
      }
      qrelsFile = companion.file(q);
    }
    return new DatasetFiles(repo.file(corpus), repo.file(queries), qrelsFile);
  }

  private static String first(Set<String> files, String... names) {
    for (String n : names) {
      if (files.contains(n)) {
        return n;
      }
    }
    return null;
  }

  private static String sample(Set<String> files) {
    List<String> sorted = new ArrayList<>(files);
    sorted.sort(null);
    return sorted.size() <= 12 ? sorted.toString() : sorted.subList(0, 12) + " and " + (sorted.size() - 12) + " more";
  }
}
