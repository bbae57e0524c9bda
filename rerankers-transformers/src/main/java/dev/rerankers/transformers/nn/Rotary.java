package dev.rerankers.transformers.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Rotary position embeddings ({@code rotate_half} layout, as transformers' Llama, ModernBERT,
 * Qwen2, Gemma): {@code x·cos + rotate_half(x)·sin} with {@code inv_freq = θ^(-2i/d)}. The tables
 * are computed in fp32 per call for the positions given and live in the caller's manager.
 */
public final class Rotary {
  private final float[] invFreq;
  private final int dim;
  private final double theta;

  /** Rotary embeddings over {@code dim} (even) channels with base {@code theta}. */
  public Rotary(int dim, double theta) {
    if (dim % 2 != 0) {
      throw new IllegalArgumentException("rotary dimension must be even, got " + dim);
    }
    this.dim = dim;
    this.theta = theta;
    this.invFreq = new float[dim / 2];
    for (int i = 0; i < dim / 2; i++) {
      float exponent = (float) (2 * i) / dim;
      invFreq[i] = (float) (1.0 / (float) Math.pow(theta, exponent));
    }
  }

  /** cos and sin tables [L, dim] for positions 0..L-1, in the given manager. */
  public NDList tables(NDManager manager, int length, DataType type) {
    float[] cos = new float[length * dim];
    float[] sin = new float[length * dim];
    int half = dim / 2;
    for (int p = 0; p < length; p++) {
      for (int i = 0; i < half; i++) {
        float angle = (float) p * invFreq[i];
        float c = (float) Math.cos(angle);
        float s = (float) Math.sin(angle);
        cos[p * dim + i] = c;
        cos[p * dim + i + half] = c;
        sin[p * dim + i] = s;
        sin[p * dim + i + half] = s;
      }
    }
    NDArray c = manager.create(cos).reshape(length, dim);
    NDArray s = manager.create(sin).reshape(length, dim);
    if (type != DataType.FLOAT32) {
      c = c.toType(type, false);
      s = s.toType(type, false);
    }
    return new NDList(c, s);
  }

  /** The base θ. */
  public double theta() {
    return theta;
  }

  /** The rotary width (the head size). */
  public int dim() {
    return dim;
  }

  /**
   * cos (first) and sin (second) of the angles for positions 0..length-1 over the {@code dim / 2}
   * frequencies, row-major [length, dim/2]: the halves {@link #tables} repeats, as a graph stores
   * them.
   */
  public float[][] halfTables(int length) {
    int half = dim / 2;
    float[] cos = new float[length * half];
    float[] sin = new float[length * half];
    for (int p = 0; p < length; p++) {
      for (int i = 0; i < half; i++) {
        float angle = (float) p * invFreq[i];
        cos[p * half + i] = (float) Math.cos(angle);
        sin[p * half + i] = (float) Math.sin(angle);
      }
    }
    return new float[][] {cos, sin};
  }

  /** Rotates {@code x} [B, H, L, dim] with tables from {@link #tables}. */
  public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
    long d = x.getShape().getLastDimension();
    int last = x.getShape().dimension() - 1;
    NDList halves = x.split(new long[] {d / 2}, last);
    NDArray rotated = halves.get(1).neg().concat(halves.get(0), last);
    return x.mul(cos).add(rotated.mul(sin));
  }
}
