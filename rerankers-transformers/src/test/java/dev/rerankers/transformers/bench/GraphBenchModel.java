package dev.rerankers.transformers.bench;

import dev.rerankers.json.Json;
import dev.rerankers.testing.SharedData;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.transformers.testing.MiniLm;
import dev.rerankers.transformers.testing.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The model and the documents of {@link GraphBenchmark} and {@link GraphSpike}: a MiniLM-L6-H384
 * cross-encoder (the real all-MiniLM-L6-v2 encoder from Maven Central, plus a seeded pooler and
 * one-logit head) and SciFact abstracts cut to chosen token counts. Kept here, not shared with
 * other harnesses, so the graph benchmark stands on its own.
 */
final class GraphBenchModel {
  static final int HIDDEN = 384;
  static final String QUERY = "Vitamin B12 deficiency increases blood levels of homocysteine.";

  private GraphBenchModel() {}

  /** Real MiniLM weights under "bert." plus a seeded pooler and one-logit classifier. */
  static void build(Path dir) throws IOException {
    if (Files.isRegularFile(dir.resolve("tokenizer_config.json"))) {
      return;
    }
    Path raw = Files.createDirectories(dir.resolveSibling("minilm-raw"));
    MiniLm.materialize(raw);
    SafetensorsWriter w = new SafetensorsWriter();
    for (Map.Entry<String, Map.Entry<long[], float[]>> e : SafetensorsWriter.readF32(raw.resolve("model.safetensors")).entrySet()) {
      if (!e.getKey().endsWith("position_ids")) {
        w.f32("bert." + e.getKey(), e.getValue().getKey(), e.getValue().getValue());
      }
    }
    Random rnd = new Random(42);
    w.f32("bert.pooler.dense.weight", new long[] {HIDDEN, HIDDEN}, gaussian(rnd, HIDDEN * HIDDEN, 1 / Math.sqrt(HIDDEN)));
    w.f32("bert.pooler.dense.bias", new long[] {HIDDEN}, gaussian(rnd, HIDDEN, 0.02));
    w.f32("classifier.weight", new long[] {1, HIDDEN}, gaussian(rnd, HIDDEN, 1 / Math.sqrt(HIDDEN)));
    w.f32("classifier.bias", new long[] {1}, new float[] {0.1f});
    w.write(dir.resolve("model.safetensors"));
    Files.writeString(dir.resolve("config.json"), MiniLm.CONFIG.replace("\"BertModel\"", "\"BertForSequenceClassification\"")
        .replace("\"model_type\"", "\"id2label\": {\"0\": \"LABEL_0\"}, \"label2id\": {\"LABEL_0\": 0}, \"model_type\""));
    Files.copy(raw.resolve("tokenizer.json"), dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
    // written last: its presence marks a complete folder
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": true, \"model_max_length\": 512, "
        + "\"pad_token\": \"[PAD]\", \"cls_token\": \"[CLS]\", \"sep_token\": \"[SEP]\", \"unk_token\": \"[UNK]\", "
        + "\"mask_token\": \"[MASK]\", \"tokenizer_class\": \"BertTokenizer\"}");
  }

  /**
   * {@code n} documents of varied length (evenly spread over minTokens..maxTokens, shuffled) and
   * {@code n} of uniform length ({@code uniformTokens}), cut from SciFact abstracts.
   */
  static List<List<String>> documents(HfTokenizer tok, int n, int minTokens, int maxTokens, int uniformTokens) throws IOException {
    List<String> corpus = corpus();
    Random rnd = new Random(7);
    List<Integer> targets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      targets.add(minTokens + (int) Math.round((maxTokens - minTokens) * (double) i / Math.max(1, n - 1)));
    }
    Collections.shuffle(targets, rnd);
    List<String> varied = new ArrayList<>();
    List<String> uniform = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      varied.add(cut(tok, corpus.get(i % corpus.size()), targets.get(i)));
      uniform.add(cut(tok, corpus.get((i + 37) % corpus.size()), uniformTokens));
    }
    return List.of(varied, uniform);
  }

  static float[] gaussian(Random r, int n, double std) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) (r.nextGaussian() * std);
    }
    return f;
  }

  /** Long SciFact abstracts (a synthetic text when ../shared is absent). */
  static List<String> corpus() throws IOException {
    Path file = SharedData.root().map(p -> p.resolve("data/scifact/corpus.jsonl")).filter(Files::exists).orElse(null);
    List<String> out = new ArrayList<>();
    if (file != null) {
      try (Stream<String> lines = Files.lines(file)) {
        lines.limit(400).forEach(l -> {
          Map<?, ?> m = (Map<?, ?>) Json.parse(l);
          String text = m.get("title") + " " + m.get("text");
          if (text.length() > 1500) {
            out.add(text);
          }
        });
      }
    }
    if (out.isEmpty()) {
      out.add("protein binding receptor clinical trial outcome gene expression increased reduced patients ".repeat(60));
    }
    return out;
  }

  /** The longest word prefix of text whose token count (no special tokens) is at most n. */
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

  /** "min..max (mean m)" token counts of the documents alone. */
  static String stats(HfTokenizer tok, List<String> docs) {
    int min = Integer.MAX_VALUE;
    int max = 0;
    long sum = 0;
    for (String d : docs) {
      int n = tok.encodeRaw(d).length();
      min = Math.min(min, n);
      max = Math.max(max, n);
      sum += n;
    }
    return min + ".." + max + " (mean " + sum / docs.size() + ")";
  }

  static String jsonList(List<String> l) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < l.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(Json.quote(l.get(i)));
    }
    return sb.append(']').toString();
  }
}
