package dev.rerankers.transformers.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.CheckpointException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Reads safetensors tensors into fp32 libtorch arrays on the CPU through one reused buffer, a block
 * of whole rows at a time: for the tensors that must be copied anyway — F16/BF16 widened to fp32,
 * unaligned F32, and F32 tensors over 2 GiB (what one mapping holds). Aligned F32 tensors up to
 * that are mapped and used in place (no copy; untouched rows of an embedding table
 * never become resident). Before this reader, the copies were made from mappings and temporary
 * direct buffers that stayed resident until the garbage collector released them, so such loads
 * peaked at the checkpoint two or three times (Gemma2-2B shape: 8.3 GB; MiniCPM-2B shape: 3.4 GB).
 *
 * <p>Thread-safe: loads through one instance take turns.
 */
final class StagedReader {
  /** The buffer's usual size; a single row larger than this gets a buffer of its own size. */
  static final int CAPACITY = 16 << 20;

  private final long capacity;
  private ByteBuffer raw;
  private ByteBuffer floats;

  StagedReader() {
    this(CAPACITY);
  }

  /** A reader whose blocks hold at most {@code capacity} bytes in fp32 (at least one row). */
  StagedReader(long capacity) {
    this.capacity = capacity;
  }

  /** The tensor {@code t} as an fp32 array of {@code manager} (F32, F16 or BF16 stored). */
  synchronized NDArray load(TensorInfo t, NDManager manager) {
    long[] dims = t.shape();
    Shape shape = new Shape(dims);
    long size = t.size();
    if (size == 0) {
      return manager.zeros(shape, DataType.FLOAT32);
    }
    long rows = dims.length == 0 ? 1 : dims[0];
    long rowElements = size / rows;
    long rowStored = t.byteLength() / rows;
    if (rowElements * 4 > Integer.MAX_VALUE) {
      throw new CheckpointException("tensor " + t.name() + " in " + t.file() + " has rows of " + rowElements
          + " elements, over 2 GiB each in fp32; it cannot be loaded");
    }
    long rowsPerBlock = Math.max(1, capacity / (rowElements * 4));
    ensure((int) Math.min(rows, rowsPerBlock) * rowElements);
    try (FileChannel ch = FileChannel.open(t.file(), StandardOpenOption.READ)) {
      if (t.offset() + t.byteLength() > ch.size()) {
        throw new CheckpointException(t.file() + " is shorter than its header says (did it change while loading?)");
      }
      if (rows <= rowsPerBlock) {
        // one block: a temporary array over the buffer, copied out so the buffer can be reused
        try (NDArray view = block(ch, t, 0, rows, rowElements, rowStored, shape, manager)) {
          return view.duplicate();
        }
      }
      NDArray full = manager.zeros(shape, DataType.FLOAT32);
      try {
        for (long r = 0; r < rows; r += rowsPerBlock) {
          long n = Math.min(rowsPerBlock, rows - r);
          long[] blockDims = dims.clone();
          blockDims[0] = n;
          try (NDArray view = block(ch, t, r, n, rowElements, rowStored, new Shape(blockDims), manager)) {
            full.set(new NDIndex(r + ":" + (r + n)), view);
          }
        }
        return full;
      } catch (RuntimeException e) {
        full.close();
        throw e;
      }
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + t.name() + " from " + t.file() + ": " + e.getMessage(), e);
    }
  }

  /** Rows {@code [from, from + n)} of {@code t} as fp32, in an array backed by (or copied from) the buffer. */
  private NDArray block(FileChannel ch, TensorInfo t, long from, long n, long rowElements, long rowStored,
      Shape shape, NDManager manager) throws IOException {
    int count = Math.toIntExact(n * rowElements);
    long position = t.offset() + from * rowStored;
    int storedBytes = Math.toIntExact(n * rowStored);
    floats.clear().limit(count * 4);
    if (t.type() == TensorType.F32 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      Safetensors.readFully(ch, floats, position);
      floats.flip();
    } else {
      raw.clear().limit(storedBytes);
      Safetensors.readFully(ch, raw, position);
      raw.flip();
      if (!t.type().isWeightType()) {
        throw new CheckpointException("tensor " + t.name() + " is " + t.type() + "; weights must be F32, F16 or BF16");
      }
      Weights.widenInto(t.type(), count, raw, floats.asFloatBuffer());
      floats.position(0).limit(count * 4);
    }
    return manager.create(floats.slice().order(ByteOrder.nativeOrder()), shape, DataType.FLOAT32);
  }

  private void ensure(long elements) {
    int bytes = Math.toIntExact(elements * 4);
    if (floats == null || floats.capacity() < bytes) {
      floats = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
      raw = null;
    }
    if (raw == null) {
      // stored bytes of F16/BF16 (and unaligned F32 on big-endian machines); F32 reads straight into floats
      raw = ByteBuffer.allocateDirect(floats.capacity()).order(ByteOrder.LITTLE_ENDIAN);
    }
  }
}
