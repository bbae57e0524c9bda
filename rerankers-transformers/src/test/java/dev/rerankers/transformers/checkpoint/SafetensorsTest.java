package dev.rerankers.transformers.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.CheckpointException;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.transformers.testing.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrupt and hostile safetensors files fail with a CheckpointException naming the problem. */
class SafetensorsTest {
  @TempDir Path dir;

  Path file() {
    return dir.resolve("model.safetensors");
  }

  @Test
  void should_read_the_header_of_a_real_checkpoint() {
    Map<String, TensorInfo> t = Safetensors.readHeader(
        TestFiles.resource("golden/BertForSequenceClassification/model.safetensors"));
    assertThat(t).containsKey("bert.embeddings.word_embeddings.weight");
    TensorInfo words = t.get("bert.embeddings.word_embeddings.weight");
    assertThat(words.type()).isEqualTo(TensorType.F32);
    assertThat(words.shape()).containsExactly(1000, 32);
    assertThat(words.byteLength()).isEqualTo(1000 * 32 * 4);
  }

  @Test
  void should_reject_a_file_shorter_than_the_length_field() throws IOException {
    Files.write(file(), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> Safetensors.readHeader(file()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("too short");
  }

  @Test
  void should_reject_a_header_length_beyond_the_file() throws IOException {
    SafetensorsWriter.raw(file(), 5000, "{}", 10);
    assertThatThrownBy(() -> Safetensors.readHeader(file()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("header of 5000 bytes").hasMessageContaining("truncated");
  }

  @Test
  void should_reject_an_oversized_header() throws IOException {
    SafetensorsWriter.raw(file(), 1L << 40, "{}", 0);
    assertThatThrownBy(() -> Safetensors.readHeader(file()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("limit");
    SafetensorsWriter.raw(file(), -8, "{}", 0);
    assertThatThrownBy(() -> Safetensors.readHeader(file()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("limit");
  }

  @Test
  void should_reject_a_header_that_is_not_json() throws IOException {
    String h = "{\"a\": [not json";
    SafetensorsWriter.raw(file(), h.length(), h, 0);
    assertThatThrownBy(() -> Safetensors.readHeader(file()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("not valid JSON");
  }

  @Test
  void should_reject_offsets_out_of_range() throws IOException {
    String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
    SafetensorsWriter.raw(file(), h.length(), h, 8);
    assertThatThrownBy(() -> Safetensors.readHeader(file()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("'w'").hasMessageContaining("out of the data section");
  }

  @Test
  void should_reject_negative_or_reversed_offsets() throws IOException {
    String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}";
    SafetensorsWriter.raw(file(), h.length(), h, 16);
    assertThatThrownBy(() -> Safetensors.readHeader(file()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("out of the data section");
  }

  @Test
  void should_reject_an_unknown_dtype() throws IOException {
    String h = "{\"w\":{\"dtype\":\"F8_E9M9\",\"shape\":[2],\"data_offsets\":[0,2]}}";
    SafetensorsWriter.raw(file(), h.length(), h, 2);
    assertThatThrownBy(() -> Safetensors.readHeader(file()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("unknown dtype F8_E9M9");
  }

  @Test
  void should_reject_a_shape_that_disagrees_with_the_byte_range() throws IOException {
    String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
    SafetensorsWriter.raw(file(), h.length(), h, 8);
    assertThatThrownBy(() -> Safetensors.readHeader(file()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("12 bytes").hasMessageContaining("over 8 bytes");
  }

  @Test
  void should_reject_a_shape_whose_size_overflows() throws IOException {
    String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[100000000000000000,1000],\"data_offsets\":[0,8]}}";
    SafetensorsWriter.raw(file(), h.length(), h, 8);
    assertThatThrownBy(() -> Safetensors.readHeader(file()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("overflows");
  }

  @Test
  void should_reject_overlapping_tensors() throws IOException {
    String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
    SafetensorsWriter.raw(file(), h.length(), h, 12);
    assertThatThrownBy(() -> Safetensors.readHeader(file()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("overlapping");
  }

  @Test
  void should_reject_an_entry_without_shape() throws IOException {
    String h = "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}";
    SafetensorsWriter.raw(file(), h.length(), h, 4);
    assertThatThrownBy(() -> Safetensors.readHeader(file()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("without a shape");
  }

  @Test
  void should_name_offsets_beyond_the_file_not_call_them_missing() throws IOException {
    String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4611686018427387904,4611686018427387908]}}";
    SafetensorsWriter.raw(file(), h.length(), h, 4);
    assertThatThrownBy(() -> Safetensors.readHeader(file()))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("'w' at bytes [4611686018427387904, 4611686018427387908), out of the data section's 4 bytes")
        .hasMessageNotContaining("without data_offsets");
    String beyondLong = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,18446744073709551616]}}";
    SafetensorsWriter.raw(file(), beyondLong.length(), beyondLong, 4);
    assertThatThrownBy(() -> Safetensors.readHeader(file()))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("with data_offsets [0, the number 1.8446744073709552E19]; allowed: two integers [begin, end]");
  }
}
