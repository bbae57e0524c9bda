package dev.rerankers.cli.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads a dataset folder in the BEIR layout:
 *
 * <pre>
 * corpus.jsonl        {"_id": "4983", "title": "...", "text": "..."}   one document per line
 * queries.jsonl       {"_id": "1", "text": "..."}                      one query per line
 * qrels/test.tsv      query-id TAB corpus-id TAB score                 header line optional
 * </pre>
 *
 * <p>Each file may also be gzipped ({@code corpus.jsonl.gz}). Qrels lines may instead use the TREC
 * form {@code qid 0 docid grade} (whitespace-separated). Blank lines are skipped. Anything else (a
 * missing file, a line that is not a JSON object, a missing {@code _id} or {@code text}, a
 * duplicate id, a non-integer grade, a judgment naming an unknown query or document) is a {@link
 * DatasetException} naming the file and line.
 *
 * <p>Stateless and thread-safe.
 */
public final class BeirReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BeirReader() {}

  /**
   * Reads {@code dir} with the qrels of {@code split}.
   *
   * @throws DatasetException for a missing file or a malformed line
   */
  public static BeirDataset read(Path dir, String split) {
    return read(dir, split, dir.toString());
  }

  /** Like {@link #read(Path, String)} with a display name for reports. */
  public static BeirDataset read(Path dir, String split, String name) {
    return read(files(dir, split), split, name);
  }

  /** The dataset files in a BEIR-layout folder. */
  public static DatasetFiles files(Path dir, String split) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(
          "dataset folder " + dir + " does not exist; pass a folder holding corpus.jsonl, queries.jsonl and qrels/"
              + split + ".tsv (the BEIR layout)");
    }
    return new DatasetFiles(
        locate(dir, "corpus.jsonl"), locate(dir, "queries.jsonl"), locate(dir, "qrels/" + split + ".tsv"));
  }

  /**
   * Reads a dataset from its three files.
   *
   * @throws DatasetException for a malformed line
   */
  public static BeirDataset read(DatasetFiles files, String split, String name) {
    Map<String, CorpusDoc> corpus = readCorpus(files.corpus());
    Map<String, String> queries = readQueries(files.queries());
    Map<String, Map<String, Integer>> qrels =
        readQrels(files.qrels(), files.queries(), files.corpus(), queries, corpus);
    if (qrels.isEmpty()) {
      throw new DatasetException(files.qrels() + " holds no judgments; nothing can be evaluated");
    }
    return new BeirDataset(name, split, corpus, queries, qrels);
  }

  private static Path locate(Path dir, String relative) {
    Path plain = dir.resolve(relative);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    Path gz = dir.resolve(relative + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    throw new DatasetException(
        "dataset folder " + dir + " has no " + relative + " (nor " + relative + ".gz); the BEIR layout is "
            + "corpus.jsonl, queries.jsonl and qrels/<split>.tsv");
  }

  private static Map<String, CorpusDoc> readCorpus(Path file) {
    Map<String, CorpusDoc> corpus = new LinkedHashMap<>();
    forEachLine(file, (line, n) -> {
      JsonNode node = parseObject(file, n, line);
      String id = requiredId(file, n, node);
      String text = requiredText(file, n, node, "text");
      JsonNode title = node.get("title");
      if (title != null && !title.isNull() && !title.isTextual()) {
        throw new DatasetException(file + ":" + n + ": \"title\" must be a string, got " + title.getNodeType());
      }
      if (corpus.putIfAbsent(id, new CorpusDoc(id, title == null || title.isNull() ? "" : title.asText(), text))
          != null) {
        throw new DatasetException(file + ":" + n + ": document id '" + id + "' appears twice; ids must be unique");
      }
    });
    if (corpus.isEmpty()) {
      throw new DatasetException(file + " holds no documents");
    }
    return corpus;
  }

  private static Map<String, String> readQueries(Path file) {
    Map<String, String> queries = new LinkedHashMap<>();
    forEachLine(file, (line, n) -> {
      JsonNode node = parseObject(file, n, line);
      String id = requiredId(file, n, node);
      String text = requiredText(file, n, node, "text");
      if (queries.putIfAbsent(id, text) != null) {
        throw new DatasetException(file + ":" + n + ": query id '" + id + "' appears twice; ids must be unique");
      }
    });
    return queries;
  }

  private static Map<String, Map<String, Integer>> readQrels(
      Path file, Path queriesFile, Path corpusFile, Map<String, String> queries, Map<String, CorpusDoc> corpus) {
    Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
    forEachLine(file, (line, n) -> {
      String[] cols = line.indexOf('\t') >= 0 ? line.strip().split("\t") : line.strip().split("\\s+");
      String qid;
      String docId;
      String grade;
      if (cols.length == 3) {
        qid = cols[0].strip();
        docId = cols[1].strip();
        grade = cols[2].strip();
      } else if (cols.length == 4) {
        qid = cols[0].strip();
        docId = cols[2].strip();
        grade = cols[3].strip();
      } else {
        throw new DatasetException(
            file + ":" + n + ": expected 3 tab-separated columns (query-id, corpus-id, score) or the 4 TREC columns"
                + " (qid 0 docid grade), got " + cols.length + ": '" + abbreviate(line) + "'");
      }
      if (n == 1 && !isInteger(grade)) {
        return; // the header line: query-id corpus-id score
      }
      int g;
      try {
        g = Integer.parseInt(grade);
      } catch (NumberFormatException e) {
        throw new DatasetException(file + ":" + n + ": the score '" + grade + "' is not an integer grade");
      }
      if (!queries.containsKey(qid)) {
        throw new DatasetException(
            file + ":" + n + ": query id '" + qid + "' is not in " + queriesFile + "; fix the id or add the query");
      }
      if (!corpus.containsKey(docId)) {
        throw new DatasetException(
            file + ":" + n + ": document id '" + docId + "' is not in " + corpusFile
                + "; fix the id or add the document");
      }
      Map<String, Integer> judged = qrels.computeIfAbsent(qid, k -> new LinkedHashMap<>());
      if (judged.putIfAbsent(docId, g) != null) {
        throw new DatasetException(
            file + ":" + n + ": query '" + qid + "' judges document '" + docId + "' twice; keep one line");
      }
    });
    return qrels;
  }

  private static JsonNode parseObject(Path file, int n, String line) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new DatasetException(
          file + ":" + n + ": not valid JSON (" + e.getOriginalMessage() + "): '" + abbreviate(line) + "'", e);
    }
    if (node == null || !node.isObject()) {
      throw new DatasetException(file + ":" + n + ": expected one JSON object per line, got '" + abbreviate(line) + "'");
    }
    return node;
  }

  private static String requiredId(Path file, int n, JsonNode node) {
    JsonNode id = node.get("_id");
    if (id == null || id.isNull() || !(id.isTextual() || id.isIntegralNumber())) {
      throw new DatasetException(file + ":" + n + ": missing \"_id\" (a string or integer)");
    }
    String s = id.asText().strip();
    if (s.isEmpty()) {
      throw new DatasetException(file + ":" + n + ": \"_id\" is empty");
    }
    return s;
  }

  private static String requiredText(Path file, int n, JsonNode node, String field) {
    JsonNode text = node.get(field);
    if (text == null || !text.isTextual()) {
      throw new DatasetException(file + ":" + n + ": missing \"" + field + "\" (a string)");
    }
    return text.asText();
  }

  private static boolean isInteger(String s) {
    try {
      Integer.parseInt(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String abbreviate(String line) {
    return line.length() <= 80 ? line : line.substring(0, 79) + "…";
  }

  private interface LineHandler {
    void accept(String line, int lineNumber);
  }

  private static void forEachLine(Path file, LineHandler handler) {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = reader.readLine()) != null) {
        n++;
        if (n == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (!line.isBlank()) {
          handler.accept(line, n);
        }
      }
    } catch (IOException e) {
      throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
