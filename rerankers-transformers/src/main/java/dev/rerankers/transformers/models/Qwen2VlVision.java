package dev.rerankers.transformers.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.transformers.checkpoint.CpuPasses;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.nn.Activation;
import dev.rerankers.transformers.nn.Attention;
import dev.rerankers.transformers.nn.LayerNorm;
import dev.rerankers.transformers.nn.Linear;
import dev.rerankers.transformers.nn.Rotary;
import dev.rerankers.transformers.nn.Scope;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Qwen2-VL's vision transformer (transformers' {@code Qwen2VisionTransformerPretrainedModel}):
 * flattened patches → {@code patch_embed} (a Conv3d whose kernel equals its stride, i.e. a linear
 * map of each {@code C·T·P·P} patch) → {@code depth} pre-norm blocks (LayerNorm eps 1e-6,
 * full attention within each frame of each image with 2-D rotary embeddings over the patch's row
 * and column, {@code fc1 → act → fc2}) → the patch merger ({@code ln_q}, then every {@code merge ×
 * merge} neighbourhood, consecutive in the processor's patch order, concatenated and mapped by
 * {@code mlp.0 → GELU → mlp.2} to the language model's width).
 *
 * <p>Weights under {@code prefix} ({@code "visual."}, or {@code "model.visual."} in transformers 5
 * naming): {@code patch_embed.proj.weight}, {@code blocks.N.{norm1,norm2,attn.qkv,attn.proj,
 * mlp.fc1,mlp.fc2}}, {@code merger.{ln_q,mlp.0,mlp.2}}.
 *
 * <p>Attention scores are computed in blocks of query rows, so an image of {@code S} patches needs
 * about {@value #SCORE_BUDGET} score values at a time on a GPU rather than {@code heads · S²}; on
 * the CPU the blocks, and the feed-forward in chunks of patches, stay under {@link
 * CpuPasses#DEFAULT_BUDGET_BYTES} (fresh allocations above it cost more in page faults than the
 * work they feed; rows and patches are independent there, so the result is the same). Immutable;
 * safe to call from several threads.
 */
public final class Qwen2VlVision {
  /** Attention-score elements held at once per block on a GPU (64 Mi floats: 256 MiB in fp32). */
  static final long SCORE_BUDGET = 1L << 26;

  private final Qwen2VlConfig.Vision config;
  private final Linear patchEmbed;
  private final List<Block> blocks;
  private final LayerNorm mergerNorm;
  private final Linear mergerIn;
  private final Linear mergerOut;
  private final float[] invFreq;
  private final DataType dtype;
  private final long scoreBudget;
  private final long mlpChunkRows;

  private Qwen2VlVision(Weights w, String p, Qwen2VlConfig.Vision c, long scoreBudget, long chunkRows) {
    this.config = c;
    this.dtype = w.placement().dtype();
    long cpuBytes = CpuPasses.budgetBytes(w.placement());
    int bytes = dtype == DataType.FLOAT32 ? 4 : dtype.getNumOfBytes();
    this.scoreBudget = cpuBytes > 0 ? Math.min(scoreBudget, cpuBytes / bytes) : scoreBudget;
    this.mlpChunkRows = chunkRows >= 0 ? chunkRows
        : cpuBytes > 0 ? Math.max(1, cpuBytes / ((long) c.mlpHidden() * bytes)) : 0;
    long e = c.embedDim();
    NDArray conv = w.get(p + "patch_embed.proj.weight", e, c.inChannels(), c.temporalPatchSize(), c.patchSize(),
        c.patchSize());
    patchEmbed = new Linear(conv.reshape(e, c.patchValues()), null);
    UnaryOperator<NDArray> act = activation(c.hiddenAct());
    List<Block> list = new ArrayList<>(c.depth());
    for (int i = 0; i < c.depth(); i++) {
      list.add(new Block(w, p + "blocks." + i + ".", c, act));
    }
    blocks = Collections.unmodifiableList(list);
    long merged = e * c.spatialMergeSize() * c.spatialMergeSize();
    mergerNorm = LayerNorm.load(w, p + "merger.ln_q", e, 1e-6);
    mergerIn = Linear.load(w, p + "merger.mlp.0", merged, merged);
    mergerOut = Linear.load(w, p + "merger.mlp.2", merged, c.hiddenSize());
    // VisionRotaryEmbedding(head_dim / 2, theta 10000): head_dim / 4 frequencies
    int rotaryDim = c.headDim() / 2;
    invFreq = new float[rotaryDim / 2];
    for (int i = 0; i < invFreq.length; i++) {
      float exponent = (float) (2 * i) / rotaryDim;
      invFreq[i] = 1f / (float) Math.pow(10000.0, exponent);
    }
  }

  /** Loads the tower under {@code prefix}. */
  public static Qwen2VlVision load(Weights w, String prefix, Qwen2VlConfig.Vision config) {
    return new Qwen2VlVision(w, prefix, config, SCORE_BUDGET, -1);
  }

  /** Loads the tower with another attention-score budget (tests force small query blocks). */
  static Qwen2VlVision load(Weights w, String prefix, Qwen2VlConfig.Vision config, long scoreBudget) {
    return load(w, prefix, config, scoreBudget, -1);
  }

  /** Loads the tower with a score budget and feed-forward chunks of {@code mlpChunkRows} patches (tests). */
  static Qwen2VlVision load(Weights w, String prefix, Qwen2VlConfig.Vision config, long scoreBudget, long mlpChunkRows) {
    if (scoreBudget < 1) {
      throw new IllegalArgumentException("score budget must be positive, got " + scoreBudget);
    }
    return new Qwen2VlVision(w, prefix, config, scoreBudget, mlpChunkRows);
  }

  /** The config. */
  public Qwen2VlConfig.Vision config() {
    return config;
  }

  /**
   * The embeddings of one image, [t·h·w / merge², hidden], in the patches' manager.
   *
   * @param patches [t·h·w, C·T·P·P] flattened patches in the processor's order (merge windows
   *     consecutive); cast to the compute dtype
   */
  public NDArray forward(NDArray patches, int t, int h, int w) {
    int merge = config.spatialMergeSize();
    long n = (long) t * h * w;
    if (h % merge != 0 || w % merge != 0) {
      throw new IllegalArgumentException("image grid " + h + "x" + w + " is not a multiple of the merge size " + merge);
    }
    if (!patches.getShape().equals(new Shape(n, config.patchValues()))) {
      throw new IllegalArgumentException("patches have shape " + patches.getShape() + ", expected [" + n + ", "
          + config.patchValues() + "] for a " + t + "x" + h + "x" + w + " grid");
    }
    NDManager m = patches.getManager();
    NDArray input = patches.getDataType() == dtype ? patches : patches.toType(dtype, false);
    NDList rope = rotaryTables(m, t, h, w);
    NDArray cos = rope.get(0);
    NDArray sin = rope.get(1);
    int frame = h * w;
    NDArray x = Scope.run(input, patchEmbed::forward);
    if (input != patches) {
      input.close();
    }
    for (Block block : blocks) {
      NDArray next = Scope.run(x, y -> block.forward(y, cos, sin, t, frame, scoreBudget, mlpChunkRows), cos, sin);
      x.close();
      x = next;
    }
    NDArray in = x;
    NDArray out = Scope.run(in, y -> {
      NDArray normed = mergerNorm.forward(y).reshape(n / ((long) merge * merge), -1);
      return mergerOut.forward(Activation.GELU.apply(mergerIn.forward(normed)));
    });
    x.close();
    cos.close();
    sin.close();
    return out;
  }

  /**
   * cos and sin [t·h·w, headDim] for the patches' (row, column) ids in the processor's order:
   * the first half of the frequencies follow the row, the second the column, then repeated.
   */
  private NDList rotaryTables(NDManager m, int t, int h, int w) {
    int merge = config.spatialMergeSize();
    int d = config.headDim();
    int q = invFreq.length;
    int n = t * h * w;
    float[] cos = new float[n * d];
    float[] sin = new float[n * d];
    int s = 0;
    for (int frame = 0; frame < t; frame++) {
      for (int hb = 0; hb < h / merge; hb++) {
        for (int wb = 0; wb < w / merge; wb++) {
          for (int mh = 0; mh < merge; mh++) {
            for (int mw = 0; mw < merge; mw++) {
              float row = hb * merge + mh;
              float col = wb * merge + mw;
              for (int i = 0; i < 2 * q; i++) {
                float angle = i < q ? row * invFreq[i] : col * invFreq[i - q];
                float c = (float) Math.cos(angle);
                float sn = (float) Math.sin(angle);
                cos[s * d + i] = c;
                cos[s * d + i + 2 * q] = c;
                sin[s * d + i] = sn;
                sin[s * d + i + 2 * q] = sn;
              }
              s++;
            }
          }
        }
      }
    }
    NDArray c = m.create(cos).reshape(n, d);
    NDArray sn = m.create(sin).reshape(n, d);
    return new NDList(c, sn);
  }

  private static UnaryOperator<NDArray> activation(String name) {
    if (name != null && name.toLowerCase(Locale.ROOT).equals("quick_gelu")) {
      return x -> x.mul(x.mul(1.702f).getNDArrayInternal().sigmoid());
    }
    Activation a = Activation.of(name);
    return a::apply;
  }

  /** One {@code Qwen2VLVisionBlock}. */
  private static final class Block {
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final Linear qkv;
    private final Linear proj;
    private final Linear fc1;
    private final Linear fc2;
    private final UnaryOperator<NDArray> act;
    private final int heads;
    private final int headDim;
    private final float scale;

    Block(Weights w, String p, Qwen2VlConfig.Vision c, UnaryOperator<NDArray> act) {
      long e = c.embedDim();
      norm1 = LayerNorm.load(w, p + "norm1", e, 1e-6);
      norm2 = LayerNorm.load(w, p + "norm2", e, 1e-6);
      qkv = Linear.load(w, p + "attn.qkv", e, 3 * e);
      proj = Linear.load(w, p + "attn.proj", e, e);
      fc1 = Linear.load(w, p + "mlp.fc1", e, c.mlpHidden());
      fc2 = Linear.load(w, p + "mlp.fc2", c.mlpHidden(), e);
      this.act = act;
      heads = c.numHeads();
      headDim = c.headDim();
      scale = (float) Math.pow(headDim, -0.5);
    }

    NDArray forward(NDArray x, NDArray cos, NDArray sin, int frames, int frame, long budget, long chunkRows) {
      NDArray h = x.add(attention(norm1.forward(x), cos, sin, frames, frame, budget));
      return h.add(mlp(norm2.forward(h), chunkRows));
    }

    /** {@code fc2(act(fc1(x)))} over [n, e], in chunks of at most {@code chunkRows} patches (0 = one piece). */
    private NDArray mlp(NDArray x, long chunkRows) {
      long n = x.getShape().get(0);
      if (chunkRows <= 0 || n <= chunkRows) {
        return fc2.forward(act.apply(fc1.forward(x)));
      }
      NDList parts = new NDList();
      for (long from = 0; from < n; from += chunkRows) {
        NDArray part = x.get(new NDIndex("{}:{}", from, Math.min(n, from + chunkRows)));
        parts.add(Scope.run(part, y -> fc2.forward(act.apply(fc1.forward(y)))));
      }
      NDArray out = NDArrays.concat(parts, 0);
      parts.close();
      return out;
    }

    /** Full attention within each frame: [n, e] → [n, e]. */
    private NDArray attention(NDArray x, NDArray cos, NDArray sin, int frames, int frame, long budget) {
      long n = x.getShape().get(0);
      // [n, 3, heads, d] → [3, heads, n, d]
      NDArray qkvs = qkv.forward(x).reshape(n, 3, heads, headDim).transpose(1, 2, 0, 3);
      NDArray q = rotate(qkvs.get(0), cos, sin);
      NDArray k = rotate(qkvs.get(1), cos, sin);
      NDArray v = qkvs.get(2);
      NDList outs = new NDList();
      for (int f = 0; f < frames; f++) {
        long start = (long) f * frame;
        NDArray kf = k.get(new NDIndex(":, {}:{}", start, start + frame));
        NDArray vf = v.get(new NDIndex(":, {}:{}", start, start + frame));
        long rows = Math.max(1, Math.min(frame, budget / ((long) heads * frame)));
        for (long r = 0; r < frame; r += rows) {
          long end = Math.min(frame, r + rows);
          NDArray qf = q.get(new NDIndex(":, {}:{}", start + r, start + end));
          outs.add(Scope.run(qf, y -> Attention.attend(y.expandDims(0), kf.expandDims(0), vf.expandDims(0), null, scale)
              .squeeze(0), kf, vf));
        }
      }
      NDArray merged = outs.size() == 1 ? outs.get(0) : NDArrays.concat(outs, 1);
      // [heads, n, d] → [n, heads·d]
      return proj.forward(merged.transpose(1, 0, 2).reshape(n, (long) heads * headDim));
    }

    /** {@code apply_rotary_pos_emb_vision}: in fp32, cast back. */
    private static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
      if (x.getDataType() == DataType.FLOAT32) {
        return Rotary.apply(x, cos, sin);
      }
      return Rotary.apply(x.toType(DataType.FLOAT32, false), cos, sin).toType(x.getDataType(), false);
    }
  }
}
