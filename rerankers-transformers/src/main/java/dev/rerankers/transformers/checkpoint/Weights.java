package dev.rerankers.transformers.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.CheckpointException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.json.JsonFile;
import dev.rerankers.numeric.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A checkpoint's tensors by Hugging Face key, loaded on demand into the model's {@link NDManager}
 * in the compute dtype. Blocks call {@code w.get(prefix + "query.weight")}; loading is a name
 * lookup. Every key handed out is recorded, so {@link #checkAllUsed} can list the tensors a model
 * did not use.
 *
 * <p>Safetensors files (single or sharded through {@code model.safetensors.index.json}) are
 * memory-mapped, any size. F32 tensors on the CPU are used in place (no copy); F16 and BF16 are
 * widened to F32 in Java before any array exists (a BF16 array on the PyTorch CPU engine aborts the
 * JVM), then narrowed on the GPU when the compute dtype asks for it.
 *
 * <p>Shared blocks are not API: they may change between versions. Loading is single-threaded;
 * the arrays returned are read-only by convention and safe to use from several threads. {@link
 * #close()} frees every array.
 */
public final class Weights implements AutoCloseable {
  /** The largest fp32 block one Java buffer holds here: 1 GiB, well under the 2 GiB limit. */
  static final long MAX_BLOCK_BYTES = 1L << 30;

  private final String name;
  private final Map<String, TensorInfo> tensors;
  private final Placement placement;
  private final NDManager manager;
  /** Reads tensors on the CPU without mapping the file (see {@link StagedReader}). */
  private final StagedReader staged = new StagedReader();
  private final Set<String> used = ConcurrentHashMap.newKeySet();
  private final Map<String, Function<NDManager, NDArray>> deltas = new ConcurrentHashMap<>();
  private final Set<String> appliedDeltas = ConcurrentHashMap.newKeySet();

  private Weights(String name, Map<String, TensorInfo> tensors, Placement placement) {
    this.name = name;
    this.tensors = Collections.unmodifiableMap(tensors);
    this.placement = placement;
    this.manager = placement.engine().newBaseManager(placement.device());
    this.manager.setName("weights:" + name);
  }

  /**
   * Opens a model's safetensors checkpoint: {@code model.safetensors.index.json} with its shards,
   * else {@code model.safetensors}.
   *
   * @throws ModelLoadException when the model has neither, or the index is not a readable JSON file
   * @throws CheckpointException when a file is corrupt or the index disagrees with the shards
   */
  public static Weights open(ModelSource source, Placement placement) {
    Optional<Path> index = source.optionalFile("model.safetensors.index.json");
    if (index.isPresent()) {
      Map<String, String> weightMap = readIndex(index.get());
      Map<String, Path> shards = new LinkedHashMap<>();
      for (String shard : new LinkedHashSet<>(weightMap.values())) {
        shards.put(shard, source.file(shard));
      }
      Map<String, TensorInfo> all = new LinkedHashMap<>();
      for (Path p : shards.values()) {
        putAll(all, Safetensors.readHeader(p));
      }
      for (Map.Entry<String, String> e : weightMap.entrySet()) {
        TensorInfo t = all.get(e.getKey());
        if (t == null || !t.file().equals(shards.get(e.getValue()))) {
          throw new CheckpointException(index.get() + " places " + e.getKey() + " in " + e.getValue()
              + " but that shard does not hold it");
        }
      }
      return new Weights(source.id(), all, placement);
    }
    Optional<Path> single = source.optionalFile("model.safetensors");
    if (single.isEmpty()) {
      throw new ModelLoadException("model " + source.id() + " has no model.safetensors or model.safetensors.index.json");
    }
    return open(List.of(single.get()), placement);
  }

  /**
   * The safetensors files {@link #open(ModelSource, Placement)} would read, without reading them:
   * the index's shards in order, else {@code model.safetensors}.
   *
   * @throws ModelLoadException when the model has neither
   */
  public static List<Path> files(ModelSource source) {
    Optional<Path> index = source.optionalFile("model.safetensors.index.json");
    if (index.isPresent()) {
      List<Path> out = new java.util.ArrayList<>();
      for (String shard : new LinkedHashSet<>(readIndex(index.get()).values())) {
        out.add(source.file(shard));
      }
      return out;
    }
    return List.of(source.optionalFile("model.safetensors").orElseThrow(() -> new ModelLoadException(
        "model " + source.id() + " has no model.safetensors or model.safetensors.index.json")));
  }

  /** Opens safetensors files as one checkpoint (a key may appear in only one file). */
  public static Weights open(List<Path> files, Placement placement) {
    Map<String, TensorInfo> all = new LinkedHashMap<>();
    for (Path p : files) {
      putAll(all, Safetensors.readHeader(p));
    }
    return new Weights(files.size() == 1 ? files.get(0).toString() : files.toString(), all, placement);
  }

  /** The manager that owns the weights; batches open sub-managers of it. */
  public NDManager manager() {
    return manager;
  }

  /** Device and dtype. */
  public Placement placement() {
    return placement;
  }

  /** The files the tensors come from, each once, in the order first seen. */
  public List<Path> sourceFiles() {
    return tensors.values().stream().map(TensorInfo::file).distinct().toList();
  }

  /** Every key in the checkpoint. */
  public Set<String> keys() {
    return tensors.keySet();
  }

  /** Whether the checkpoint has a key. */
  public boolean has(String key) {
    return tensors.containsKey(key);
  }

  /** Where a tensor lives, or empty. */
  public Optional<TensorInfo> info(String key) {
    return Optional.ofNullable(tensors.get(key));
  }

  /**
   * The first of the candidate prefixes ({@code "bert."}, {@code "roberta."}) under which the
   * checkpoint has a key starting with {@code probe} (e.g. {@code "embeddings."}); {@code ""}
   * when the keys carry no prefix.
   *
   * @throws CheckpointException when no candidate (nor the empty prefix) matches
   */
  public String basePrefix(String probe, String... candidates) {
    List<String> all = new ArrayList<>(Arrays.asList(candidates));
    all.add("");
    for (String c : all) {
      String p = c + probe;
      if (tensors.keySet().stream().anyMatch(k -> k.startsWith(p))) {
        return c;
      }
    }
    throw new CheckpointException("checkpoint " + name + " has no tensor under " + all.stream()
        .map(c -> "'" + c + probe + "'").toList() + "; keys start with " + sampleKeys());
  }

  /**
   * A tensor in the compute dtype.
   *
   * @throws CheckpointException when the key is missing or not a float tensor
   */
  public NDArray get(String key) {
    TensorInfo t = tensors.get(key);
    if (t == null) {
      throw new CheckpointException("checkpoint " + name + " has no tensor " + key + nearby(key));
    }
    used.add(key);
    return load(t, placement.dtype());
  }

  /**
   * A tensor in the compute dtype, checked against the shape the config implies.
   *
   * @throws CheckpointException naming both shapes when they differ
   */
  public NDArray get(String key, long... shape) {
    TensorInfo t = tensors.get(key);
    if (t != null && !Arrays.equals(t.shape(), shape)) {
      throw new CheckpointException("tensor " + key + " in " + name + " has shape " + Arrays.toString(t.shape())
          + " but the config implies " + Arrays.toString(shape));
    }
    return get(key);
  }

  /** A tensor if present (recorded as used), else empty. */
  public Optional<NDArray> optional(String key) {
    return has(key) ? Optional.of(get(key)) : Optional.empty();
  }

  /** A tensor always in fp32 (for buffers and values computed once, such as norms of tables). */
  public NDArray getFloat32(String key) {
    TensorInfo t = tensors.get(key);
    if (t == null) {
      throw new CheckpointException("checkpoint " + name + " has no tensor " + key + nearby(key));
    }
    used.add(key);
    return load(t, DataType.FLOAT32);
  }

  /** Marks keys as deliberately unused (buffers, heads the model does not run). */
  public void ignore(Predicate<String> keys) {
    tensors.keySet().stream().filter(keys).forEach(used::add);
  }

  /**
   * Fails when the checkpoint holds tensors no block asked for: they mean the architecture or the
   * config does not match the file.
   *
   * @throws CheckpointException listing the unused keys
   */
  public void checkAllUsed() {
    Set<String> unused = new TreeSet<>(tensors.keySet());
    unused.removeAll(used);
    if (!unused.isEmpty()) {
      List<String> list = new ArrayList<>(unused);
      throw new CheckpointException("checkpoint " + name + " has " + unused.size()
          + " tensor(s) the model does not use (config and weights disagree?): "
          + (list.size() > 20 ? list.subList(0, 20) + " ..." : list));
    }
  }

  /**
   * Registers an update added to a tensor whenever a block loads it: {@link #get} then returns
   * {@code tensor + delta}, summed in fp32 and cast to the compute dtype once. LoRA adapters
   * merge their {@code scale · B · A} into the base weights this way, at load time. The function
   * gets this checkpoint's manager and returns an array of the tensor's shape (any float dtype,
   * any manager; it is closed after the sum).
   *
   * @throws CheckpointException when the checkpoint has no such tensor or it already has an update
   */
  public void addDelta(String key, Function<NDManager, NDArray> delta) {
    if (!tensors.containsKey(key)) {
      throw new CheckpointException("checkpoint " + name + " has no tensor " + key + " to update" + nearby(key));
    }
    if (deltas.putIfAbsent(key, delta) != null) {
      throw new CheckpointException("tensor " + key + " of " + name + " already has an update registered");
    }
  }

  /** The keys with a registered update that no block has loaded yet (sorted). */
  public Set<String> pendingDeltas() {
    Set<String> pending = new TreeSet<>(deltas.keySet());
    pending.removeAll(appliedDeltas);
    return pending;
  }

  /** A zero vector of the compute dtype (e.g. the bias of a bias-free LayerNorm). */
  public NDArray zeros(long size) {
    return manager.zeros(new Shape(size), placement.dtype());
  }

  @Override
  public void close() {
    manager.close();
  }

  @Override
  public String toString() {
    return "Weights[" + name + ", " + tensors.size() + " tensors, " + placement.deviceName() + "/" + placement.dtypeName() + "]";
  }

  private NDArray load(TensorInfo t, DataType target) {
    Function<NDManager, NDArray> delta = deltas.get(t.name());
    return delta == null ? loadStored(t, target) : loadUpdated(t, target, delta);
  }

  /** The stored tensor plus its registered update, summed in fp32. */
  private NDArray loadUpdated(TensorInfo t, DataType target, Function<NDManager, NDArray> delta) {
    NDArray base = loadStored(t, DataType.FLOAT32);
    NDArray d = delta.apply(manager);
    if (!d.getShape().equals(base.getShape())) {
      String message = "the update for " + t.name() + " in " + name + " has shape " + d.getShape()
          + " but the tensor has " + base.getShape();
      d.close();
      base.close();
      throw new CheckpointException(message);
    }
    NDArray sum = base.add(d.getDataType() == DataType.FLOAT32 ? d : d.toType(DataType.FLOAT32, false));
    d.close();
    base.close();
    sum.setName(t.name());
    appliedDeltas.add(t.name());
    if (target != DataType.FLOAT32) {
      NDArray narrowed = sum.toType(target, false);
      sum.close();
      return narrowed;
    }
    return sum;
  }

  private NDArray loadStored(TensorInfo t, DataType target) {
    if (!t.type().isWeightType()) {
      throw new CheckpointException("tensor " + t.name() + " in " + name + " is " + t.type()
          + "; weights must be F32, F16 or BF16");
    }
    Shape shape = new Shape(t.shape());
    boolean gpu = placement.device().isGpu();
    NDArray array;
    boolean f32 = t.type() == TensorType.F32 && t.offset() % 4 == 0;
    if (!gpu && f32 && t.byteLength() <= Integer.MAX_VALUE) {
      // used in place: only the pages computed with become resident (an embedding table's looked-up rows)
      array = manager.create(Safetensors.map(t), shape, DataType.FLOAT32);
    } else if (!gpu) {
      // a copy is made anyway (widened, unaligned, or over the 2 GiB one mapping holds): read it through
      // the staged buffer, so no mapping or temporary buffer lingers beside it until the GC
      array = staged.load(t, manager);
    } else if (t.size() > MAX_BLOCK_BYTES / 4) {
      // over 2 GiB once in fp32 (Gemma's 256k × 2304 embedding table): one buffer cannot hold it
      array = loadInRowBlocks(t, manager, MAX_BLOCK_BYTES);
    } else if (f32) {
      array = manager.create(Safetensors.map(t), shape, DataType.FLOAT32);
    } else if (t.type() == TensorType.F16 && gpu && target == DataType.FLOAT16) {
      array = manager.create(Safetensors.map(t), shape, DataType.FLOAT16);
    } else {
      array = manager.create(toFloat32(t, Safetensors.map(t)), shape, DataType.FLOAT32);
    }
    array.setName(t.name());
    if (target != DataType.FLOAT32 && array.getDataType() != target) {
      if (!gpu) {
        throw new IllegalStateException("half precision on the CPU must have been widened by Placement");
      }
      NDArray narrowed = array.toType(target, false);
      array.close();
      array = narrowed;
    }
    return array;
  }

  /**
   * Loads a tensor as fp32 a block of whole rows (first dimension) at a time, each block at most
   * {@code maxBlockBytes} once widened, and joins the blocks in libtorch: for tensors too large for
   * one Java buffer. Peak memory is the tensor plus its blocks, once.
   */
  static NDArray loadInRowBlocks(TensorInfo t, NDManager manager, long maxBlockBytes) {
    long[] dims = t.shape();
    if (dims.length == 0 || dims[0] == 0) {
      throw new CheckpointException("tensor " + t.name() + " in " + t.file() + " is too large to load but has no rows to split");
    }
    long rows = dims[0];
    long rowElements = t.size() / rows;
    long rowStoredBytes = t.byteLength() / rows;
    long rowsPerBlock = Math.max(1, maxBlockBytes / (rowElements * 4));
    if (rowsPerBlock * rowElements * 4 > Integer.MAX_VALUE) {
      throw new CheckpointException("tensor " + t.name() + " in " + t.file() + " has rows of " + rowElements
          + " elements, over 2 GiB each in fp32; it cannot be loaded");
    }
    NDList blocks = new NDList();
    try {
      for (long r = 0; r < rows; r += rowsPerBlock) {
        long n = Math.min(rowsPerBlock, rows - r);
        ByteBuffer bytes = Safetensors.map(t, r * rowStoredBytes, n * rowStoredBytes);
        long[] blockDims = dims.clone();
        blockDims[0] = n;
        blocks.add(manager.create(widen(t.type(), n * rowElements, bytes), new Shape(blockDims), DataType.FLOAT32));
      }
      NDArray joined = blocks.size() == 1 ? blocks.get(0).duplicate() : NDArrays.concat(blocks, 0);
      joined.setName(t.name());
      return joined;
    } finally {
      blocks.close();
    }
  }

  /** Widens F32 (unaligned), F16 or BF16 bytes to a direct little-endian F32 buffer. */
  static ByteBuffer toFloat32(TensorInfo t, ByteBuffer src) {
    return widen(t.type(), t.size(), src);
  }

  private static ByteBuffer widen(TensorType type, long count, ByteBuffer src) {
    int n = Math.toIntExact(count);
    ByteBuffer out = ByteBuffer.allocateDirect(Math.multiplyExact(n, 4)).order(ByteOrder.nativeOrder());
    widenInto(type, n, src, out.asFloatBuffer());
    return out;
  }

  /** Writes {@code count} values of {@code type} read from little-endian {@code src} into {@code out} as fp32. */
  static void widenInto(TensorType type, int count, ByteBuffer src, FloatBuffer out) {
    switch (type) {
      case F32 -> {
        FloatBuffer in = src.asFloatBuffer();
        for (int i = 0; i < count; i++) {
          out.put(i, in.get(i));
        }
      }
      case BF16 -> {
        for (int i = 0; i < count; i++) {
          out.put(i, HalfFloats.bf16ToFloat(src.getShort(2 * i)));
        }
      }
      case F16 -> {
        for (int i = 0; i < count; i++) {
          out.put(i, HalfFloats.fp16ToFloat(src.getShort(2 * i)));
        }
      }
      default -> throw new IllegalArgumentException(type.toString());
    }
  }

  private static void putAll(Map<String, TensorInfo> all, Map<String, TensorInfo> more) {
    for (TensorInfo t : more.values()) {
      TensorInfo previous = all.putIfAbsent(t.name(), t);
      if (previous != null) {
        throw new CheckpointException("tensor " + t.name() + " appears in both " + previous.file() + " and " + t.file());
      }
    }
  }

  private static Map<String, String> readIndex(Path index) {
    if (JsonFile.readObject(index).get("weight_map") instanceof Map<?, ?> wm) {
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : wm.entrySet()) {
        if (!(e.getValue() instanceof String shard) || shard.contains("..") || shard.startsWith("/")) {
          throw new CheckpointException(index + " maps " + e.getKey() + " to " + e.getValue() + ", not a shard file name");
        }
        out.put((String) e.getKey(), shard);
      }
      return out;
    }
    throw new CheckpointException(index + " has no weight_map object");
  }

  private String sampleKeys() {
    List<String> keys = new ArrayList<>(new TreeSet<>(tensors.keySet()));
    return keys.size() > 5 ? keys.subList(0, 5) + " ..." : keys.toString();
  }

  private String nearby(String key) {
    String tail = key.substring(key.lastIndexOf('.', key.length() - 8) + 1);
    List<String> similar = tensors.keySet().stream().filter(k -> k.endsWith(tail)).sorted().limit(3).toList();
    return similar.isEmpty() ? " (keys start with " + sampleKeys() + ")" : " (similar keys: " + similar + ")";
  }
}
