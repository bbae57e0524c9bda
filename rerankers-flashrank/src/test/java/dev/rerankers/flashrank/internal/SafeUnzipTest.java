package dev.rerankers.flashrank.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ModelLoadException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile archives: every refusal leaves nothing outside the target folder. */
class SafeUnzipTest {
  @TempDir Path tmp;

  @Test
  void extracts_a_normal_archive() throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("model/", null);
    m.put("model/config.json", bytes("{}"));
    m.put("model/sub/tokenizer.json", bytes("{\"a\":1}"));
    Path zip = write(m);
    int n = SafeUnzip.extract(zip, tmp.resolve("out"), SafeUnzip.Limits.DEFAULT);
    assertThat(n).isEqualTo(2);
    assertThat(tmp.resolve("out/model/sub/tokenizer.json")).hasContent("{\"a\":1}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../evil.txt", "model/../../evil.txt", "/tmp/evil.txt", "C:/evil.txt", "model\\..\\..\\evil.txt",
      "model/./evil.txt", "model//evil.txt", "..", "model/evil\u0000.txt", "model/\u001bevil.txt"})
  void refuses_entries_that_could_escape(String name) throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("model/config.json", bytes("{}"));
    m.put(name, bytes("pwned"));
    Path zip = write(m);
    Path out = tmp.resolve("a/b/out");
    Files.createDirectories(out.getParent());
    assertThatThrownBy(() -> SafeUnzip.extract(zip, out, SafeUnzip.Limits.DEFAULT))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("refusing to unpack");
    try (Stream<Path> all = Files.walk(tmp)) {
      assertThat(all.filter(p -> p.getFileName().toString().contains("evil"))).isEmpty();
    }
  }

  @Test
  void refuses_names_that_collide_on_case_insensitive_disks() throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("model/Config.json", bytes("{}"));
    m.put("model/config.json", bytes("{\"b\":2}"));
    assertThatThrownBy(() -> SafeUnzip.extract(write(m), tmp.resolve("out"), SafeUnzip.Limits.DEFAULT))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("appears twice");
  }

  @Test
  void refuses_a_zip_bomb_by_counting_inflated_bytes() throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("model/zeros.bin", new byte[8 << 20]); // 8 MiB of zeros deflate to ~8 KiB
    Path zip = write(m);
    assertThat(Files.size(zip)).isLessThan(64 << 10);
    SafeUnzip.Limits perFile = new SafeUnzip.Limits(100, 1 << 20, 1L << 30, 1000, 0);
    assertThatThrownBy(() -> SafeUnzip.extract(zip, tmp.resolve("a"), perFile))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("inflates past the limits");
    SafeUnzip.Limits ratio = new SafeUnzip.Limits(100, 1L << 30, 1L << 30, 100, 0);
    assertThatThrownBy(() -> SafeUnzip.extract(zip, tmp.resolve("b"), ratio))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("inflates past the limits");
    SafeUnzip.Limits roomy = new SafeUnzip.Limits(100, 1L << 30, 1L << 30, 100, 16 << 20);
    assertThat(SafeUnzip.extract(zip, tmp.resolve("c"), roomy)).isEqualTo(1);
  }

  @Test
  void refuses_too_many_entries() throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      m.put("model/f" + i, bytes("x"));
    }
    assertThatThrownBy(() -> SafeUnzip.extract(write(m), tmp.resolve("out"), new SafeUnzip.Limits(10, 1 << 20, 1 << 20, 10, 0)))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("20 entries");
  }

  @Test
  void a_corrupt_archive_is_a_model_load_exception() throws IOException {
    Path zip = tmp.resolve("bad.zip");
    Files.writeString(zip, "this is not a zip");
    assertThatThrownBy(() -> SafeUnzip.extract(zip, tmp.resolve("out"), SafeUnzip.Limits.DEFAULT))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("not a valid zip");
  }

  private Path write(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        if (e.getValue() != null) {
          z.write(e.getValue());
        }
        z.closeEntry();
      }
    }
    Path zip = Files.createTempFile(tmp, "test", ".zip");
    Files.write(zip, bytes.toByteArray());
    return zip;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
