package dev.rerankers.bench;

import dev.rerankers.Reranker;
import dev.rerankers.json.Json;
import dev.rerankers.tokenizers.HfTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Java only (no peer has it): the shared-prefix cache's speed-up against document length. One
 * SciFact query and {@code docs} documents cut to each length in tokens; pairs per second of {@code
 * qwen3-reranker} with {@code prefixCache=true} and {@code false} (best of {@code repeats} passes
 * after a warm-up), the prompt's shared part (system prompt, instruction, query) being the same.
 */
final class PrefixSweep {
  private PrefixSweep() {}

  static Map<String, Object> run(Map<String, Object> spec) throws IOException {
    Path model = Path.of((String) spec.get("model"));
    Path scifact = Path.of((String) spec.get("scifact"));
    int docs = ((Number) spec.get("docs")).intValue();
    int repeats = ((Number) spec.get("repeats")).intValue();
    List<Integer> lengths = new ArrayList<>();
    JsonOut.list(spec.get("lengths")).forEach(l -> lengths.add(((Number) l).intValue()));
    String query = (String) JsonOut.map(Json.parse(Files.readAllLines(scifact.resolve("queries.jsonl")).get(0))).get("text");
    List<String> texts = longTexts(scifact, docs);
    Map<Integer, List<String>> byLength = new LinkedHashMap<>();
    try (HfTokenizer tok = HfTokenizer.load(model)) {
      for (int n : lengths) {
        List<String> cut = new ArrayList<>();
        for (String t : texts) {
          cut.add(cut(tok, t, n));
        }
        byLength.put(n, cut);
      }
    }
    Map<String, Object> rates = new LinkedHashMap<>();
    for (boolean cache : new boolean[] {true, false}) {
      String spec1 = "qwen3-reranker:" + model + "?device=cpu&batchSize=16&prefixCache=" + cache;
      try (Reranker r = Reranker.load(spec1)) {
        for (Map.Entry<Integer, List<String>> e : byLength.entrySet()) {
          r.rank(query, e.getValue());
          double best = Double.MAX_VALUE;
          for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            r.rank(query, e.getValue());
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
          }
          JsonOut.map(rates.computeIfAbsent(Integer.toString(e.getKey()), k -> new LinkedHashMap<String, Object>()))
              .put(cache ? "cached" : "uncached", e.getValue().size() / best);
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", BenchMain.PREFIX_SWEEP);
    out.put("model", model.getFileName().toString());
    out.put("docs", docs);
    out.put("rates", rates);
    out.put("rss_peak_mb", ProcessStats.peakRssMb());
    return out;
  }

  /** Consecutive SciFact abstracts joined, so each text runs past the longest length asked. */
  private static List<String> longTexts(Path scifact, int n) throws IOException {
    List<String> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(scifact.resolve("corpus.jsonl"), StandardCharsets.UTF_8)) {
      StringBuilder sb = new StringBuilder();
      String line;
      while (out.size() < n && (line = in.readLine()) != null) {
        Map<String, Object> d = JsonOut.map(Json.parse(line));
        sb.append(d.get("title")).append(". ").append(d.get("text")).append(' ');
        if (sb.length() > 9000) {
          out.add(sb.toString());
          sb.setLength(0);
        }
      }
    }
    return out;
  }

  /** The longest word prefix of {@code text} whose token count is at most {@code n}. */
  static String cut(HfTokenizer tok, String text, int n) {
    String[] words = text.split("\\s+");
    int lo = 1;
    int hi = words.length;
    while (lo < hi) {
      int mid = (lo + hi + 1) / 2;
      if (tok.encodeRaw(String.join(" ", Arrays.copyOf(words, mid))).length() <= n) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return String.join(" ", Arrays.copyOf(words, lo));
  }
}
