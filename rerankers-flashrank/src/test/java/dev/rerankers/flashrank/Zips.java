package dev.rerankers.flashrank;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds zip archives in memory for tests, entry names exactly as given (hostile ones included). */
final class Zips {
  private Zips() {}

  static byte[] zip(Map<String, byte[]> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        if (e.getValue() != null) {
          z.write(e.getValue());
        }
        z.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * A zip shaped like FlashRank's: a folder {@code <name>/} holding {@code onnxName} (copied from
   * {@code onnx}) and the tokenizer and config files of {@code modelDir}.
   */
  static byte[] flashRankZip(String name, Path modelDir, Path onnx, String onnxName) {
    try {
      Map<String, byte[]> m = new LinkedHashMap<>();
      m.put(name + "/", null);
      m.put(name + "/" + onnxName, Files.readAllBytes(onnx));
      for (String f : new String[] {"config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"}) {
        m.put(name + "/" + f, Files.readAllBytes(modelDir.resolve(f)));
      }
      return zip(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
