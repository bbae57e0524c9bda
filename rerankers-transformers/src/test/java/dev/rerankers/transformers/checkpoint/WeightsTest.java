package dev.rerankers.transformers.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import dev.rerankers.CheckpointException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.testing.TestFiles;
import dev.rerankers.transformers.testing.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsTest {
  @TempDir Path dir;

  @Test
  void should_widen_bf16_and_f16_in_java_exactly() throws IOException {
    float[] values = {0f, -0f, 1f, -2.5f, 3.14159f, 65504f, 1e-8f, -1e30f};
    short[] half = {0x0000, (short) 0x8000, 0x3c00, (short) 0xc100, 0x7bff, 0x0001, 0x03ff, (short) 0xfc00};
    float[] halfExpected = {0f, -0f, 1f, -2.5f, 65504f, 5.9604645e-8f, 6.097555e-5f, Float.NEGATIVE_INFINITY};
    new SafetensorsWriter()
        .bf16("b", new long[] {values.length}, values)
        .f16Bits("h", new long[] {half.length}, half)
        .write(dir.resolve("model.safetensors"));
    try (Weights w = Weights.open(ModelSource.local(dir), Placement.resolve("cpu", "bf16"))) {
      assertThat(w.placement().dtypeName()).isEqualTo("fp32"); // bf16 on the CPU computes in fp32
      float[] b = w.get("b").toFloatArray();
      for (int i = 0; i < values.length; i++) {
        int bits = Float.floatToRawIntBits(values[i]);
        float rounded = Float.intBitsToFloat(((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) << 16);
        assertThat(b[i]).isEqualTo(rounded);
      }
      assertThat(w.get("h").toFloatArray()).containsExactly(halfExpected);
      w.checkAllUsed();
    }
  }

  @Test
  void should_load_a_tensor_in_blocks_of_rows_exactly_as_in_one_piece() throws IOException {
    // a tensor over 2 GiB (Gemma's fp32 embedding table) is read in blocks of rows; the same path
    // with blocks of a few bytes must give the very same values, for F32 and for widened BF16
    float[] f = new float[7 * 3];
    float[] b = new float[5 * 4];
    for (int i = 0; i < f.length; i++) {
      f[i] = i * 0.37f - 2.5f;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = 1f / (i + 1);
    }
    Path file = dir.resolve("model.safetensors");
    new SafetensorsWriter().f32("f", new long[] {7, 3}, f).bf16("b", new long[] {5, 4}, b).write(file);
    Map<String, TensorInfo> header = Safetensors.readHeader(file);
    try (Weights w = Weights.open(ModelSource.local(dir), Placement.cpu())) {
      for (String name : List.of("f", "b")) {
        float[] whole = w.get(name).toFloatArray();
        for (long blockBytes : new long[] {1, 2 * 3 * 4, 16 * 4, 1 << 20}) { // 1 row, 2 rows, 4 rows (b), all
          NDArray blocks = Weights.loadInRowBlocks(header.get(name), w.manager(), blockBytes);
          assertThat(blocks.getShape().getShape()).containsExactly(header.get(name).shape());
          assertThat(blocks.toFloatArray()).containsExactly(whole);
          blocks.close();
        }
      }
    }
    // the CPU loader reads through one reused buffer, a block of rows at a time: every block size
    // gives the same values, and a later tensor read through the same buffer leaves earlier arrays intact
    try (Weights w = Weights.open(ModelSource.local(dir), Placement.cpu())) {
      float[] wholeF = w.get("f").toFloatArray();
      float[] wholeB = w.get("b").toFloatArray();
      assertThat(wholeF).containsExactly(f);
      for (long capacity : new long[] {1, 2 * 3 * 4, 16 * 4, 1 << 20}) {
        StagedReader reader = new StagedReader(capacity);
        NDArray first = reader.load(header.get("f"), w.manager());
        NDArray second = reader.load(header.get("b"), w.manager());
        assertThat(first.getShape().getShape()).containsExactly(7, 3);
        assertThat(second.getShape().getShape()).containsExactly(5, 4);
        assertThat(second.toFloatArray()).containsExactly(wholeB);
        assertThat(first.toFloatArray()).as("after the buffer was reused").containsExactly(wholeF);
        first.close();
        second.close();
      }
    }
    TensorInfo t = header.get("f");
    assertThatThrownBy(() -> Safetensors.map(t, 80, 8)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("not a mappable range");
    assertThatThrownBy(() -> Safetensors.map(t, -4, 4)).isInstanceOf(CheckpointException.class);
    assertThat(Safetensors.map(t, 80, 4).getFloat(0)).isEqualTo(f[20]);
  }

  @Test
  void should_load_a_sharded_checkpoint_through_its_index() throws IOException {
    Path golden = TestFiles.resource("golden/BertForSequenceClassification/model.safetensors");
    Map<String, Map.Entry<long[], float[]>> all = SafetensorsWriter.readF32(golden);
    SafetensorsWriter a = new SafetensorsWriter();
    SafetensorsWriter b = new SafetensorsWriter();
    StringBuilder index = new StringBuilder("{\"metadata\":{},\"weight_map\":{");
    int i = 0;
    for (Map.Entry<String, Map.Entry<long[], float[]>> e : all.entrySet()) {
      String shard = i % 2 == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
      (i % 2 == 0 ? a : b).f32(e.getKey(), e.getValue().getKey(), e.getValue().getValue());
      index.append(i == 0 ? "" : ",").append('"').append(e.getKey()).append("\":\"").append(shard).append('"');
      i++;
    }
    index.append("}}");
    a.write(dir.resolve("model-00001-of-00002.safetensors"));
    b.write(dir.resolve("model-00002-of-00002.safetensors"));
    Files.writeString(dir.resolve("model.safetensors.index.json"), index);
    try (Weights w = Weights.open(ModelSource.local(dir), Placement.cpu())) {
      assertThat(w.keys()).containsExactlyInAnyOrderElementsOf(all.keySet());
      for (String k : all.keySet()) {
        assertThat(w.get(k).toFloatArray()).containsExactly(all.get(k).getValue());
      }
      w.checkAllUsed();
    }
  }

  @Test
  void should_reject_an_index_pointing_at_a_tensor_its_shard_lacks() throws IOException {
    new SafetensorsWriter().f32("x", new long[] {1}, new float[] {1}).write(dir.resolve("s1.safetensors"));
    Files.writeString(dir.resolve("model.safetensors.index.json"),
        "{\"weight_map\":{\"x\":\"s1.safetensors\",\"y\":\"s1.safetensors\"}}");
    assertThatThrownBy(() -> Weights.open(ModelSource.local(dir), Placement.cpu()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("places y in s1.safetensors");
    Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"weight_map\":{\"x\":\"../../etc/passwd\"}}");
    assertThatThrownBy(() -> Weights.open(ModelSource.local(dir), Placement.cpu()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("not a shard file name");
  }

  @Test
  void should_name_missing_and_unused_tensors_and_wrong_shapes() throws IOException {
    new SafetensorsWriter()
        .f32("enc.query.weight", new long[] {2, 2}, new float[4])
        .f32("enc.extra", new long[] {1}, new float[1])
        .add(new SafetensorsWriter.Tensor("enc.ids", "I64", new long[] {1}, new byte[8]))
        .write(dir.resolve("model.safetensors"));
    try (Weights w = Weights.open(ModelSource.local(dir), Placement.cpu())) {
      assertThatThrownBy(() -> w.get("enc.key.weight"))
          .isInstanceOf(CheckpointException.class).hasMessageContaining("no tensor enc.key.weight");
      assertThatThrownBy(() -> w.get("enc.query.weight", 3, 2))
          .isInstanceOf(CheckpointException.class).hasMessageContaining("[2, 2]").hasMessageContaining("[3, 2]");
      assertThatThrownBy(() -> w.get("enc.ids"))
          .isInstanceOf(CheckpointException.class).hasMessageContaining("I64");
      w.get("enc.query.weight");
      assertThatThrownBy(w::checkAllUsed)
          .isInstanceOf(CheckpointException.class).hasMessageContaining("enc.extra");
    }
  }

  @Test
  void should_free_every_array_on_close() throws IOException {
    new SafetensorsWriter().f32("x", new long[] {3}, new float[] {1, 2, 3}).write(dir.resolve("model.safetensors"));
    List<NDArray> arrays = new ArrayList<>();
    Weights w = Weights.open(ModelSource.local(dir), Placement.cpu());
    arrays.add(w.get("x"));
    arrays.add(w.zeros(4));
    w.close();
    assertThat(arrays).allMatch(NDArray::isReleased);
  }
}
