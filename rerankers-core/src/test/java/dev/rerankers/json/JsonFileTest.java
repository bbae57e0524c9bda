package dev.rerankers.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileTest {
  @TempDir Path dir;

  @Test
  void random_bytes_say_not_utf8_with_the_file_offset_and_byte() throws IOException {
    Path f = dir.resolve("tokenizer.json");
    byte[] b = new byte[256];
    new Random(1).nextBytes(b);
    b[0] = '{';
    b[1] = (byte) 0x80;
    Files.write(f, b);
    assertThatThrownBy(() -> JsonFile.readObject(f))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageStartingWith(f + " is not UTF-8 text (byte 0x80 at offset 1")
        .hasMessageNotContaining("Input length");
  }

  @Test
  void a_bom_is_dropped_and_non_objects_are_named() throws IOException {
    Path f = dir.resolve("config.json");
    Files.write(f, new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'});
    assertThat(JsonFile.readObject(f)).isEmpty();
    Files.writeString(f, "[1, 2, 3]");
    assertThatThrownBy(() -> JsonFile.readObject(f)).hasMessageContaining("must hold a JSON object, but holds a list of 3 items");
    Files.writeString(f, "{\"a\": ");
    assertThatThrownBy(() -> JsonFile.readObject(f)).hasMessageContaining(f + " is not valid JSON (invalid JSON at offset 6");
  }

  @Test
  void describes_values_for_messages() {
    assertThat(JsonFile.describe("32")).isEqualTo("the string \"32\"");
    assertThat(JsonFile.describe(1e12)).isEqualTo("the number 1000000000000.0");
    assertThat(JsonFile.describe(-5L)).isEqualTo("the integer -5");
    assertThat(JsonFile.describe(null)).isEqualTo("null");
    assertThat(JsonFile.describe(List.of(1))).isEqualTo("a list of 1 item");
    assertThat(JsonFile.describe(Map.of())).isEqualTo("an object");
  }
}
