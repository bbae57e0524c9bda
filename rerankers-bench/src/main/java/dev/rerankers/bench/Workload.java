package dev.rerankers.bench;

import dev.rerankers.json.Json;
import java.awt.image.BufferedImage;
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
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * The inputs both sides of a row rank, written once to a JSON file both read: SciFact queries, each
 * with its own {@code candidates} SciFact documents (consecutive corpus entries), in two sets.
 * "varied": every third document is a bare title (~10-20 tokens), the others title + abstract
 * (~100-500 tokens, cut by each model's own limit), as a first-stage retriever returns them;
 * "uniform": the first {@value #UNIFORM_WORDS} words of each title + abstract (~130 tokens). The
 * "first" call (time to first result) is the first query with its first uniform documents ({@value
 * #FIRST_DOCS} for the small models, fewer for the large ones).
 * For image rankers the documents are seeded synthetic PNGs instead: "varied" from 112x112 to 448x448
 * pixels, "uniform" all 448x448.
 *
 * @param sets set name → the calls: {@code {"query": ..., "docs": [...]}}
 * @param first the first call
 */
record Workload(Map<String, List<Map<String, Object>>> sets, Map<String, Object> first) {
  static final int UNIFORM_WORDS = 100;
  static final int FIRST_DOCS = 10;

  /** Text documents from {@code scifact} (queries.jsonl, corpus.jsonl), a first call of {@value #FIRST_DOCS}. */
  static Workload text(Path scifact, int queries, int candidates) throws IOException {
    return text(scifact, queries, candidates, FIRST_DOCS);
  }

  /** Text documents from {@code scifact}, a first call of {@code firstDocs} documents. */
  static Workload text(Path scifact, int queries, int candidates, int firstDocs) throws IOException {
    List<String> qs = new ArrayList<>();
    for (String line : Files.readAllLines(scifact.resolve("queries.jsonl"), StandardCharsets.UTF_8)) {
      if (qs.size() == queries) {
        break;
      }
      qs.add((String) JsonOut.map(Json.parse(line)).get("text"));
    }
    List<String[]> docs = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(scifact.resolve("corpus.jsonl"), StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null && docs.size() < queries * candidates) {
        Map<String, Object> d = JsonOut.map(Json.parse(line));
        docs.add(new String[] {(String) d.get("title"), (String) d.get("text")});
      }
    }
    if (qs.size() < queries || docs.size() < queries * candidates) {
      throw new IllegalStateException(scifact + " has too few queries or documents for " + queries + " x " + candidates);
    }
    Map<String, List<Map<String, Object>>> sets = new LinkedHashMap<>();
    for (String set : List.of("varied", "uniform")) {
      List<Map<String, Object>> calls = new ArrayList<>();
      for (int q = 0; q < queries; q++) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < candidates; i++) {
          String[] d = docs.get(q * candidates + i);
          String full = d[0] + " " + d[1];
          if (set.equals("varied")) {
            texts.add(i % 3 == 0 ? d[0] : full);
          } else {
            String[] words = full.split("\\s+");
            texts.add(String.join(" ", Arrays.copyOf(words, Math.min(UNIFORM_WORDS, words.length))));
          }
        }
        calls.add(call(qs.get(q), texts));
      }
      sets.put(set, calls);
    }
    List<String> firstCall = JsonOut.list(sets.get("uniform").get(0).get("docs")).stream()
        .limit(firstDocs).map(String.class::cast).toList();
    return new Workload(sets, call(qs.get(0), firstCall));
  }

  /** Image documents (PNG files written under {@code dir}) for SciFact queries. */
  static Workload images(Path scifact, Path dir, int queries, int candidates, int firstDocs) throws IOException {
    Workload text = text(scifact, queries, 1);
    Files.createDirectories(dir);
    Random rnd = new Random(19);
    Map<String, List<Map<String, Object>>> sets = new LinkedHashMap<>();
    for (String set : List.of("varied", "uniform")) {
      List<Map<String, Object>> calls = new ArrayList<>();
      for (int q = 0; q < queries; q++) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < candidates; i++) {
          int side = set.equals("uniform") ? 448 : 112 + 112 * (i % 4);
          Path p = dir.resolve(set + "-" + q + "-" + i + "-" + side + ".png");
          if (!Files.exists(p)) {
            ImageIO.write(image(rnd, side, side), "png", p.toFile());
          }
          paths.add(p.toString());
        }
        calls.add(call((String) text.sets().get(set).get(q).get("query"), paths));
      }
      sets.put(set, calls);
    }
    List<String> first = JsonOut.list(sets.get("uniform").get(0).get("docs")).stream().limit(firstDocs)
        .map(String.class::cast).toList();
    return new Workload(sets, call((String) sets.get("uniform").get(0).get("query"), first));
  }

  /** Smooth colour fields with noise: image-like, incompressible enough to be decoded in full. */
  private static BufferedImage image(Random rnd, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int r0 = rnd.nextInt(256);
    int g0 = rnd.nextInt(256);
    int b0 = rnd.nextInt(256);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = (r0 + x / 2 + rnd.nextInt(16)) & 255;
        int g = (g0 + y / 2 + rnd.nextInt(16)) & 255;
        int b = (b0 + (x + y) / 4 + rnd.nextInt(16)) & 255;
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return img;
  }

  private static Map<String, Object> call(String query, List<String> docs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("query", query);
    m.put("docs", docs);
    return m;
  }

  /** The pairs of one set. */
  int pairs(String set) {
    int n = 0;
    for (Map<String, Object> c : sets.get(set)) {
      n += JsonOut.list(c.get("docs")).size();
    }
    return n;
  }

  /** Writes the JSON file both sides read. */
  void write(Path file) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sets", sets);
    m.put("first", first);
    Files.writeString(file, JsonOut.write(m), StandardCharsets.UTF_8);
  }

  /** Reads a file {@link #write} wrote. */
  static Workload read(Path file) throws IOException {
    Map<String, Object> m = JsonOut.map(Json.parse(Files.readString(file, StandardCharsets.UTF_8)));
    Map<String, List<Map<String, Object>>> sets = new LinkedHashMap<>();
    JsonOut.map(m.get("sets")).forEach((k, v) -> {
      List<Map<String, Object>> calls = new ArrayList<>();
      JsonOut.list(v).forEach(c -> calls.add(JsonOut.map(c)));
      sets.put(k, calls);
    });
    return new Workload(sets, JsonOut.map(m.get("first")));
  }
}
