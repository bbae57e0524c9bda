package dev.rerankers.transformers.nn;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code softmax(q kᵀ · scale + mask) v} in one call of torch's {@code
 * scaled_dot_product_attention} (the fused CPU kernel: no [B, H, Lq, Lk] score tensor in memory),
 * through a tiny TorchScript module shipped as a resource ({@code sdpa.pt}, made by
 * rerankers-bench's {@code make_attention_modules.py}) and called like a layer. DJL 0.36 exposes no
 * fused attention op; measured by rerankers-bench's {@code FusedAttentionExperiment}: 2-3× faster
 * than the eager path at the encoders' shapes, max |Δ| ~1e-6.
 *
 * <p>Used for fp32 on the PyTorch engine; {@code -Drerankers.fusedAttention=false} turns it off
 * (every caller then runs the eager path), as does a module that fails to load (logged once).
 * Thread-safe: the module has no state.
 */
public final class FusedAttention {
  private static final System.Logger LOG = System.getLogger(FusedAttention.class.getName());
  /** The system property that turns the fused path off. */
  public static final String PROPERTY = "rerankers.fusedAttention";

  private FusedAttention() {}

  /** The module, loaded on first use; null when off or when it failed to load. */
  private static final class Holder {
    static final Model MODEL = load();

    private static Model load() {
      if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
        return null;
      }
      try (InputStream in = FusedAttention.class.getResourceAsStream("sdpa.pt")) {
        if (in == null) {
          throw new IOException("resource sdpa.pt is missing");
        }
        Model m = Model.newInstance("rerankers-sdpa", Device.cpu(), "PyTorch");
        m.load(in);
        return m;
      } catch (IOException | MalformedModelException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "fused attention unavailable, using eager attention: {0}", e.toString());
        return null;
      }
    }
  }

  /**
   * Whether {@link #attend} serves these inputs: fp32 [B, H, L, d] arrays of the PyTorch engine, a
   * mask (if any) of the same type, and the fused path on.
   */
  public static boolean usable(NDArray q, NDArray k, NDArray v, NDArray additiveMask) {
    if (q.getDataType() != DataType.FLOAT32 || k.getDataType() != DataType.FLOAT32 || v.getDataType() != DataType.FLOAT32
        || q.getShape().dimension() != 4 || k.getShape().dimension() != 4 || v.getShape().dimension() != 4
        || (additiveMask != null && additiveMask.getDataType() != DataType.FLOAT32)
        || !"PyTorch".equals(q.getManager().getEngine().getEngineName())) {
      return false;
    }
    return Holder.MODEL != null;
  }

  /**
   * {@code softmax(q kᵀ · scale + mask) v}, [B, H, Lq, d], in q's manager.
   *
   * @param q [B, H, Lq, d]
   * @param k [B, H, Lk, d]
   * @param v [B, H, Lk, d]
   * @param additiveMask broadcastable to [B, H, Lq, Lk] (0 where allowed, the dtype's minimum where
   *     masked), or null
   */
  public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray additiveMask, float scale) {
    NDArray mask = additiveMask != null ? additiveMask : q.getManager().zeros(new Shape(1, 1, 1, 1));
    NDArray s = q.getManager().create(scale);
    NDList out = Holder.MODEL.getBlock().forward(new ParameterStore(q.getManager(), false),
        new NDList(q, k, v, mask, s), false);
    NDArray result = out.singletonOrThrow();
    if (result.getManager() != q.getManager()) {
      result.attach(q.getManager());
    }
    return result;
  }
}
