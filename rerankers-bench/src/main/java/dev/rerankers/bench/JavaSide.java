package dev.rerankers.bench;

import dev.rerankers.Document;
import dev.rerankers.Reranker;
import dev.rerankers.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java side of one row, in its own JVM (started by {@link BenchMain}): the same steps as the
 * Python peer. Time to first result is from this process's start (the kernel's record, so the JVM's
 * own start is counted) to the end of the first {@code rank} of the workload's "first" call: class
 * loading, engine start, model load, one ranking. Then pairs per second for each set (the best of
 * {@code repeats} passes over its calls), then the peak RSS (VmHWM). Writes a JSON result.
 *
 * <pre>
 * java -cp ... dev.rerankers.bench.JavaSide SPEC.json RESULT.json
 * SPEC: {"spec": "cross-encoder:/path?batchSize=16", "workload": "...", "repeats": 2, "sets": [...], "images": false}
 * </pre>
 */
public final class JavaSide {
  /** Seconds from the process start to main: the JVM's own start. */
  static double MAIN_AT = Double.NaN;

  private JavaSide() {}

  /** Runs one side; see the class comment. */
  public static void main(String[] args) throws IOException {
    MAIN_AT = ProcessStats.sinceStart();
    Map<String, Object> spec = JsonOut.map(Json.parse(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8)));
    Map<String, Object> result = run(spec);
    Files.writeString(Path.of(args[1]), JsonOut.write(result), StandardCharsets.UTF_8);
  }

  static Map<String, Object> run(Map<String, Object> spec) throws IOException {
    if (BenchMain.PREFIX_SWEEP.equals(spec.get("mode"))) {
      return PrefixSweep.run(spec);
    }
    if (BenchMain.FUSED.equals(spec.get("mode"))) {
      try {
        return FusedAttentionExperiment.measure(spec);
      } catch (ai.djl.MalformedModelException e) {
        throw new IOException(e);
      }
    }
    Workload work = Workload.read(Path.of((String) spec.get("workload")));
    boolean images = Boolean.TRUE.equals(spec.get("images"));
    int repeats = ((Number) spec.getOrDefault("repeats", 1)).intValue();
    List<String> sets = new ArrayList<>();
    JsonOut.list(spec.getOrDefault("sets", List.of("varied", "uniform"))).forEach(s -> sets.add((String) s));
    Map<String, Object> result = new LinkedHashMap<>();
    try (Reranker ranker = Reranker.load((String) spec.get("spec"))) {
      double loaded = ProcessStats.sinceStart();
      rank(ranker, work.first(), images);
      result.put("ttfr_s", ProcessStats.sinceStart());
      // where the time to first result went: JVM start, class loading + engine + model load, first call
      result.put("main_at_s", MAIN_AT);
      result.put("loaded_at_s", loaded);
      result.put("native_libraries", ProcessStats.nativeLibraries());
      result.put("info", ranker.info().details());
      Map<String, Object> rates = new LinkedHashMap<>();
      for (String set : sets) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
          long t0 = System.nanoTime();
          for (Map<String, Object> call : work.sets().get(set)) {
            rank(ranker, call, images);
          }
          best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        int pairs = work.pairs(set);
        m.put("pairs", pairs);
        m.put("seconds", best);
        m.put("pairs_per_s", pairs / best);
        rates.put(set, m);
      }
      result.put("sets", rates);
    }
    result.put("rss_peak_mb", ProcessStats.peakRssMb());
    result.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
    result.put("java", System.getProperty("java.version"));
    return result;
  }

  static void rank(Reranker ranker, Map<String, Object> call, boolean images) {
    String query = (String) call.get("query");
    List<String> docs = new ArrayList<>();
    JsonOut.list(call.get("docs")).forEach(d -> docs.add((String) d));
    if (images) {
      List<Document> documents = new ArrayList<>(docs.size());
      for (String p : docs) {
        documents.add(Document.of(Document.Image.fromPath(Path.of(p))));
      }
      ranker.rankDocuments(query, documents);
    } else {
      ranker.rank(query, docs);
    }
  }
}
