package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@link Ops} on DJL NDArrays, computed as they are called (today's libtorch path). Every result
 * lives in the manager of its first input. Stateless: one instance serves every thread.
 */
public final class EagerOps implements Ops<NDArray> {
  /** The instance. */
  public static final EagerOps OPS = new EagerOps();

  private EagerOps() {}

  @Override
  public NDArray positions(NDArray ids) {
    long len = ids.getShape().get(1);
    return ids.getManager().arange(0, (int) len, 1, DataType.INT64).reshape(1, len);
  }

  @Override
  public NDArray zerosLike(NDArray ids) {
    return ids.getManager().zeros(ids.getShape(), DataType.INT64);
  }

  @Override
  public NDArray notEqual(NDArray ids, long value) {
    return ids.neq(value).toType(DataType.INT64, false);
  }

  @Override
  public NDArray cumSum(NDArray x, int axis) {
    return x.cumSum(axis);
  }

  @Override
  public NDArray add(NDArray a, NDArray b) {
    return a.add(b);
  }

  @Override
  public NDArray add(NDArray x, long value) {
    return x.add(value);
  }

  @Override
  public NDArray mul(NDArray a, NDArray b) {
    return a.mul(b);
  }

  @Override
  public NDArray mul(NDArray x, float value) {
    return x.mul(value);
  }

  @Override
  public NDArray cast(NDArray x, DataType type) {
    return x.getDataType() == type ? x : x.toType(type, false);
  }

  @Override
  public NDArray embedding(NDArray ids, NDArray table) {
    return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
  }

  @Override
  public NDArray linear(NDArray x, NDArray weight, NDArray bias) {
    return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
  }

  @Override
  public NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
    return x.getNDArrayInternal()
        .layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, eps)
        .singletonOrThrow();
  }

  @Override
  public NDArray addLayerNorm(NDArray x, NDArray residual, NDArray gamma, NDArray beta, float eps) {
    return layerNorm(x.add(residual), gamma, beta, eps);
  }

  @Override
  public NDArray activation(NDArray x, Activation act) {
    return act.apply(x);
  }

  @Override
  public NDArray paddingMask(NDArray attentionMask, DataType type) {
    return AttentionMask.padding(attentionMask, type);
  }

  // The one place the encoders' eager attention runs: without a relative-position bias it is
  // Attention.attend (where a fused kernel belongs); with one, scores + bias, softmax, · v.
  @Override
  public NDArray attention(NDArray q, NDArray k, NDArray v, NDArray bias, NDArray mask, int heads, float scale) {
    NDArray qh = Attention.splitHeads(q, heads);
    NDArray kh = Attention.splitHeads(k, heads);
    NDArray vh = Attention.splitHeads(v, heads);
    if (bias == null) {
      return Attention.mergeHeads(Attention.attend(qh, kh, vh, mask, scale));
    }
    NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2)).mul(scale).add(bias);
    return Attention.mergeHeads(Attention.softmax(scores, mask, q.getDataType()).matMul(vh));
  }

  @Override
  public NDArray bandMask(NDArray attentionMask, int halfWindow, DataType type) {
    return AttentionMask.paddingAndBand(attentionMask, halfWindow, type);
  }

  @Override
  public NDArray zeroPadding(NDArray hidden, NDArray attentionMask) {
    return hidden.mul(attentionMask.toType(hidden.getDataType(), false).expandDims(-1));
  }

  @Override
  public List<NDArray> split(NDArray x, int parts) {
    NDList halves = x.split(parts, x.getShape().dimension() - 1);
    return new ArrayList<>(halves);
  }

  @Override
  public NDArray rotary(NDArray x, int heads, Rotary rotary, int maxPositions) {
    NDList tables = rotary.tables(x.getManager(), (int) x.getShape().get(1), x.getDataType());
    return Attention.mergeHeads(Rotary.apply(Attention.splitHeads(x, heads), tables.get(0), tables.get(1)));
  }

  @Override
  public NDArray headsMatMul(NDArray x, NDArray keys, NDArray keysByHead, int heads) {
    return Attention.splitHeads(x, heads).matMul(keysByHead);
  }

  @Override
  public NDArray gatherRelative(NDArray x, long[] index, int radius) {
    Shape s = x.getShape();
    int len = (int) s.get(2);
    long[] ids = new long[len * len];
    for (int i = 0; i < len; i++) {
      for (int j = 0; j < len; j++) {
        ids[i * len + j] = index[Math.max(-radius, Math.min(radius, i - j)) + radius];
      }
    }
    NDArray ix = x.getManager().create(ids).reshape(1, 1, len, len).broadcast(s.get(0), s.get(1), len, len);
    return x.gather(ix, -1);
  }

  @Override
  public NDArray transposeLast(NDArray x) {
    int n = x.getShape().dimension();
    return x.swapAxes(n - 2, n - 1);
  }

  @Override
  public NDArray l2Normalize(NDArray x) {
    NDArray f = x.toType(DataType.FLOAT32, false);
    return f.div(f.norm(new int[] {-1}, true).maximum(1e-12f));
  }

  @Override
  public NDArray firstToken(NDArray hidden) {
    return hidden.get(new NDIndex(":, 0, :"));
  }

  @Override
  public NDArray meanPool(NDArray hidden, NDArray attentionMask) {
    NDArray m = attentionMask.toType(hidden.getDataType(), false).expandDims(-1);
    return hidden.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}));
  }

  @Override
  public NDArray layer(NDArray input, UnaryOperator<NDArray> step, List<NDArray> borrowed) {
    return Scope.run(input, step, borrowed.toArray(NDArray[]::new));
  }
}
