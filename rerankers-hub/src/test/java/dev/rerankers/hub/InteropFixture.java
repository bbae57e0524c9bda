package dev.rerankers.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The repositories shared by the Python interoperability test and the committed cache Python
 * wrote ({@code src/test/resources/hub/python-cache.tar}): fixed contents, so the tar made by
 * {@code hub_interop.py} can be checked byte for byte.
 */
final class InteropFixture {
  static final String MODEL = "acme/interop-model";
  static final String DATASET = "acme/interop-data";
  static final String MODEL_COMMIT = FakeHub.hex("SHA-1", "interop model".getBytes(StandardCharsets.UTF_8));
  static final String DATASET_COMMIT = FakeHub.hex("SHA-1", "interop data".getBytes(StandardCharsets.UTF_8));

  private InteropFixture() {}

  static Map<String, byte[]> modelFiles() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("config.json", "{\"architectures\": [\"BertForSequenceClassification\"], \"model_type\": \"bert\"}".getBytes(StandardCharsets.UTF_8));
    m.put("tokenizer.json", "{\"version\": \"1.0\", \"model\": {\"type\": \"WordPiece\"}}".getBytes(StandardCharsets.UTF_8));
    m.put("model.safetensors", FakeHub.bytes(3000, 7));
    m.put("onnx/model.onnx", FakeHub.bytes(2000, 8));
    return m;
  }

  static Map<String, byte[]> datasetFiles() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("corpus.jsonl", "{\"_id\": \"d1\", \"text\": \"hello\"}\n".getBytes(StandardCharsets.UTF_8));
    m.put("qrels/test.tsv", FakeHub.bytes(1500, 9));
    return m;
  }

  /** A fake Hub serving both repositories (the weights and the qrels through LFS). */
  static FakeHub hub() throws IOException {
    FakeHub hub = new FakeHub();
    FakeHub.Repo model = hub.model(MODEL, MODEL_COMMIT);
    modelFiles().forEach((p, b) -> {
      if (p.endsWith(".safetensors") || p.endsWith(".onnx")) {
        model.lfsFile(p, b);
      } else {
        model.file(p, b);
      }
    });
    FakeHub.Repo data = hub.dataset(DATASET, DATASET_COMMIT);
    datasetFiles().forEach((p, b) -> {
      if (p.endsWith(".tsv")) {
        data.lfsFile(p, b);
      } else {
        data.file(p, b);
      }
    });
    return hub;
  }

  /** Extracts a ustar archive (regular files, folders, symlinks), as {@code tar --format=ustar} writes it. */
  static void untar(InputStream in, Path dir) throws IOException {
    byte[] header = new byte[512];
    while (in.readNBytes(header, 0, 512) == 512) {
      String name = field(header, 0, 100);
      if (name.isEmpty()) {
        return; // end-of-archive block
      }
      String prefix = field(header, 345, 155);
      String path = prefix.isEmpty() ? name : prefix + "/" + name;
      long size = Long.parseLong(field(header, 124, 12).strip().isEmpty() ? "0" : field(header, 124, 12).strip(), 8);
      char type = (char) header[156];
      String link = field(header, 157, 100);
      Path target = dir.resolve(path).normalize();
      if (!target.startsWith(dir)) {
        throw new IOException("tar entry escapes the folder: " + path);
      }
      byte[] data = in.readNBytes((int) size);
      in.skipNBytes((512 - size % 512) % 512);
      switch (type) {
        case '5':
          Files.createDirectories(target);
          break;
        case '2':
          Files.createDirectories(target.getParent());
          Files.createSymbolicLink(target, Path.of(link));
          break;
        case '0':
        case '\0':
          Files.createDirectories(target.getParent());
          Files.write(target, data);
          break;
        default:
          throw new IOException("unsupported tar entry type '" + type + "' for " + path);
      }
    }
  }

  private static String field(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.UTF_8);
  }
}
