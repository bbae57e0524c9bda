package dev.rerankers.cli.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Regenerates the bundled sample dataset {@code examples/datasets/scifact-sample} from BEIR SciFact
 * (test split): the first {@code QUERIES} judged queries, and as corpus their judged documents plus
 * each one's top {@code NEGATIVES} BM25 hits over the full corpus (hard negatives), in the full
 * corpus's order. Deterministic.
 *
 * <pre>
 * java -cp rerankers-cli/target/test-classes:rerankers-cli/target/classes:$(cat cp.txt) \
 *   dev.rerankers.cli.eval.SampleDatasetGenerator ../shared/data/scifact examples/datasets/scifact-sample
 * </pre>
 */
public final class SampleDatasetGenerator {
  static final int QUERIES = 20;
  static final int NEGATIVES = 10;

  private SampleDatasetGenerator() {}

  public static void main(String[] args) throws IOException {
    Path src = Path.of(args[0]);
    Path dst = Path.of(args[1]);
    BeirDataset full = BeirReader.read(src, "test");
    List<String> queryIds = full.evaluatedQueries(QUERIES);
    Set<String> keep = new LinkedHashSet<>();
    try (Bm25Index index = Bm25Index.build(full.corpus().values())) {
      for (String q : queryIds) {
        keep.addAll(full.qrels().get(q).keySet());
        for (Bm25Index.Hit h : index.search(full.queries().get(q), NEGATIVES)) {
          keep.add(h.id());
        }
      }
    }
    ObjectMapper json = new ObjectMapper();
    Files.createDirectories(dst.resolve("qrels"));
    try (Writer w = Files.newBufferedWriter(dst.resolve("corpus.jsonl"), StandardCharsets.UTF_8)) {
      for (CorpusDoc d : full.corpus().values()) {
        if (keep.contains(d.id())) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("_id", d.id());
          m.put("title", d.title());
          m.put("text", d.text());
          w.write(json.writeValueAsString(m) + "\n");
        }
      }
    }
    try (Writer w = Files.newBufferedWriter(dst.resolve("queries.jsonl"), StandardCharsets.UTF_8)) {
      for (String q : queryIds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_id", q);
        m.put("text", full.queries().get(q));
        w.write(json.writeValueAsString(m) + "\n");
      }
    }
    try (Writer w = Files.newBufferedWriter(dst.resolve("qrels/test.tsv"), StandardCharsets.UTF_8)) {
      w.write("query-id\tcorpus-id\tscore\n");
      for (String q : queryIds) {
        for (Map.Entry<String, Integer> e : full.qrels().get(q).entrySet()) {
          w.write(q + "\t" + e.getKey() + "\t" + e.getValue() + "\n");
        }
      }
    }
    System.out.println("wrote " + keep.size() + " documents, " + queryIds.size() + " queries to " + dst);
  }
}
