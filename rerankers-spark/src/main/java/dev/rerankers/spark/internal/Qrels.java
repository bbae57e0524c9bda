package dev.rerankers.spark.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Relevance judgments from the lines of a BEIR qrels TSV ({@code query-id corpus-id score}, with
 * its header) or a TREC qrels file ({@code qid iteration docid relevance}). Not API.
 */
public final class Qrels {
  private Qrels() {}

  /**
   * Parses qrels lines: query id to (document id to grade).
   *
   * @throws IllegalArgumentException naming the first malformed line
   */
  public static Map<String, Map<String, Integer>> parse(List<String> lines, String source) {
    Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\\s+");
      if (f.length != 3 && f.length != 4) {
        throw new IllegalArgumentException(source + " line " + (i + 1) + ": expected 'query-id corpus-id score' (BEIR)"
            + " or 'qid iteration docid relevance' (TREC), got " + f.length + " fields");
      }
      String grade = f[f.length - 1];
      int g;
      try {
        g = Integer.parseInt(grade);
      } catch (NumberFormatException e) {
        if (out.isEmpty()) {
          continue; // the header line of a BEIR qrels file
        }
        throw new IllegalArgumentException(source + " line " + (i + 1) + ": the relevance must be an integer, got '" + grade + "'");
      }
      String doc = f.length == 3 ? f[1] : f[2];
      out.computeIfAbsent(f[0], k -> new HashMap<>()).put(doc, g);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(source + " holds no judgments");
    }
    return out;
  }
}
