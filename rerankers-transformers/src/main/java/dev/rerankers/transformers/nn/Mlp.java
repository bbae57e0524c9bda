package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Feed-forward blocks: {@link #dense} ({@code down(act(up(x)))}, BERT's intermediate/output, T5's
 * wi/wo) and {@link #gated} ({@code down(act(gate(x)) * up(x))}, Llama/Qwen gate/up/down, T5
 * v1.1 wi_0/wi_1/wo), or {@link #fusedGated} where one projection yields [input, gate] halves
 * (ModernBERT's Wi: {@code act(input) * gate}).
 */
public final class Mlp {
  private enum Kind { DENSE, GATED, FUSED }

  private final Kind kind;
  private final Linear up;
  private final Linear gate;
  private final Linear down;
  private final Activation act;

  private Mlp(Kind kind, Linear up, Linear gate, Linear down, Activation act) {
    this.kind = kind;
    this.up = up;
    this.gate = gate;
    this.down = down;
    this.act = act;
  }

  /** {@code down(act(up(x)))}. */
  public static Mlp dense(Linear up, Linear down, Activation act) {
    return new Mlp(Kind.DENSE, up, null, down, act);
  }

  /** {@code down(act(gate(x)) * up(x))}. */
  public static Mlp gated(Linear gate, Linear up, Linear down, Activation act) {
    return new Mlp(Kind.GATED, up, gate, down, act);
  }

  /** {@code down(act(a) * b)} where {@code [a, b] = fused(x)} split in halves. */
  public static Mlp fusedGated(Linear fused, Linear down, Activation act) {
    return new Mlp(Kind.FUSED, fused, null, down, act);
  }

  /** Applies the block with {@code ops}. */
  public <T> T forward(Ops<T> ops, T x) {
    return switch (kind) {
      case DENSE -> down.forward(ops, act.apply(ops, up.forward(ops, x)));
      case GATED -> down.forward(ops, ops.mul(act.apply(ops, gate.forward(ops, x)), up.forward(ops, x)));
      case FUSED -> {
        List<T> halves = ops.split(up.forward(ops, x), 2);
        yield down.forward(ops, ops.mul(act.apply(ops, halves.get(0)), halves.get(1)));
      }
    };
  }

  /** Applies the block; the result lives in x's manager. */
  public NDArray forward(NDArray x) {
    return forward(EagerOps.OPS, x);
  }

}
