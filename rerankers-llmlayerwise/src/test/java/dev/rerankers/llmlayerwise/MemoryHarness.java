package dev.rerankers.llmlayerwise;

import dev.rerankers.Reranker;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A runnable harness (not a test): writes a sparse checkpoint with the shapes of
 * bge-reranker-v2-gemma / gemma-2b (2.5 B parameters; F32 = 10 GB, or BF16), loads it through
 * {@code Reranker.load("llm-layerwise:...")} on the CPU in fp32, scores one short prompt and prints
 * the process's peak resident memory. The weights are zeros (holes in a sparse file): the
 * numbers say nothing about quality, only about memory.
 *
 * <pre>
 * java -cp ... dev.rerankers.llmlayerwise.MemoryHarness /tmp/gemma-2b-shaped F32
 * java -XX:MaxDirectMemorySize=12g -cp ... dev.rerankers.llmlayerwise.MemoryHarness /tmp/gemma-2b-bf16 BF16
 * </pre>
 * The tokenizer is copied from the test fixture folder given as third argument.
 */
public final class MemoryHarness {
  private MemoryHarness() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    String dtype = args.length > 1 ? args[1] : "F32";
    Path tokenizerFrom = Path.of(args.length > 2 ? args[2]
        : "rerankers-llmlayerwise/src/test/resources/llm/bge-reranker-v2-gemma");
    int hidden = 2048;
    int layers = 18;
    int inter = 16384;
    int heads = 8;
    int kv = 1;
    int headDim = 256;
    int vocab = 256000;
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), "{\"architectures\":[\"GemmaForCausalLM\"],\"model_type\":\"gemma\","
        + "\"vocab_size\":" + vocab + ",\"hidden_size\":" + hidden + ",\"intermediate_size\":" + inter
        + ",\"num_hidden_layers\":" + layers + ",\"num_attention_heads\":" + heads + ",\"num_key_value_heads\":" + kv
        + ",\"head_dim\":" + headDim + ",\"hidden_act\":\"gelu_pytorch_tanh\",\"max_position_embeddings\":8192,"
        + "\"rms_norm_eps\":1e-6,\"rope_theta\":10000.0,\"tie_word_embeddings\":true}");
    for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
      Files.copy(tokenizerFrom.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put("model.embed_tokens.weight", new long[] {vocab, hidden});
    shapes.put("model.norm.weight", new long[] {hidden});
    for (int i = 0; i < layers; i++) {
      String p = "model.layers." + i + ".";
      shapes.put(p + "self_attn.q_proj.weight", new long[] {heads * headDim, hidden});
      shapes.put(p + "self_attn.k_proj.weight", new long[] {kv * headDim, hidden});
      shapes.put(p + "self_attn.v_proj.weight", new long[] {kv * headDim, hidden});
      shapes.put(p + "self_attn.o_proj.weight", new long[] {hidden, heads * headDim});
      shapes.put(p + "mlp.gate_proj.weight", new long[] {inter, hidden});
      shapes.put(p + "mlp.up_proj.weight", new long[] {inter, hidden});
      shapes.put(p + "mlp.down_proj.weight", new long[] {hidden, inter});
      shapes.put(p + "input_layernorm.weight", new long[] {hidden});
      shapes.put(p + "post_attention_layernorm.weight", new long[] {hidden});
    }
    int width = dtype.equals("F32") ? 4 : 2;
    StringBuilder json = new StringBuilder("{");
    long offset = 0;
    long params = 0;
    List<String> entries = new ArrayList<>();
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      long n = 1;
      for (long d : e.getValue()) {
        n *= d;
      }
      params += n;
      entries.add("\"" + e.getKey() + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + java.util.Arrays.toString(e.getValue())
          + ",\"data_offsets\":[" + offset + "," + (offset + n * width) + "]}");
      offset += n * width;
    }
    json.append(String.join(",", entries)).append("}");
    while ((json.length() + 8) % 8 != 0) {
      json.append(' '); // safetensors pads the header so tensor data is 8-byte aligned
    }
    byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("model.safetensors").toFile(), "rw")) {
      f.setLength(0);
      f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
      f.write(header);
      f.setLength(8 + header.length + offset);
    }
    System.out.printf("checkpoint: %.2f B parameters, %s, %.1f GB%n", params / 1e9, dtype, offset / 1e9);
    long t0 = System.nanoTime();
    try (Reranker r = Reranker.builder(dir.toString()).type("llm-layerwise").device("cpu").maxLength(48).build()) {
      System.out.printf("loaded in %.1f s; %s%n", (System.nanoTime() - t0) / 1e9, memory());
      long t1 = System.nanoTime();
      double s = r.score("What is BRCA1?", "BRCA1 is a human tumor suppressor gene involved in DNA repair.");
      System.out.printf("scored one prompt in %.1f s (score %.3f); %s%n", (System.nanoTime() - t1) / 1e9, s, memory());
    }
  }

  static String memory() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM") || line.startsWith("VmRSS") || line.startsWith("RssFile") || line.startsWith("RssAnon")) {
        sb.append(line.replaceAll("\\s+", " ")).append("; ");
      }
    }
    return sb.toString();
  }
}
