package dev.rerankers.llmlayerwise.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.rerankers.ModelLoadException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.transformers.checkpoint.Placement;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The direct-memory guard for half-precision checkpoints widened on the CPU. */
class DirectMemoryTest {

  /** A sparse safetensors file whose one tensor has {@code elements} entries of {@code dtype}. */
  static void sparseCheckpoint(Path file, String dtype, long elements, int bytesPerElement) throws IOException {
    long bytes = elements * bytesPerElement;
    String json = "{\"model.embed_tokens.weight\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + elements
        + "],\"data_offsets\":[0," + bytes + "]}}";
    byte[] header = (json + " ".repeat((8 - json.length() % 8) % 8)).getBytes(StandardCharsets.UTF_8);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
      f.write(header);
      f.setLength(8 + header.length + bytes); // sparse: no disk used
    }
  }

  @Test
  void should_refuse_a_bf16_checkpoint_larger_than_the_direct_memory_limit(@TempDir Path dir) throws IOException {
    long elements = DirectMemory.limit() / 2; // widened to fp32: twice the limit
    sparseCheckpoint(dir.resolve("model.safetensors"), "BF16", elements, 2);
    assertThatThrownBy(() -> DirectMemory.check(ModelSource.local(dir), Placement.cpu(), k -> true, "big"))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("-XX:MaxDirectMemorySize=");
    // the same tensor left out of what is loaded (e.g. layers past the cutoff) is fine
    assertThatCode(() -> DirectMemory.check(ModelSource.local(dir), Placement.cpu(), k -> false, "big"))
        .doesNotThrowAnyException();
  }

  @Test
  void should_accept_fp32_checkpoints_of_any_size(@TempDir Path dir) throws IOException {
    sparseCheckpoint(dir.resolve("model.safetensors"), "F32", DirectMemory.limit(), 4);
    assertThatCode(() -> DirectMemory.check(ModelSource.local(dir), Placement.cpu(), k -> true, "mmap"))
        .doesNotThrowAnyException();
  }

  @Test
  void should_parse_jvm_sizes() {
    assertThat(DirectMemory.parseSize("12g")).isEqualTo(12L << 30);
    assertThat(DirectMemory.parseSize("512m")).isEqualTo(512L << 20);
    assertThat(DirectMemory.parseSize("1024")).isEqualTo(1024L);
  }
}
