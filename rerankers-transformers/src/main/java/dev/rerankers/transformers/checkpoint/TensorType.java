package dev.rerankers.transformers.checkpoint;

import java.util.Locale;

/** The element types a safetensors file may declare, with their sizes. */
public enum TensorType {
  F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

  private final int bytes;

  TensorType(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** Whether this is a floating-point type a model may hold weights in (F32, F16, BF16). */
  public boolean isWeightType() {
    return this == F32 || this == F16 || this == BF16;
  }

  /** The type for a safetensors dtype string, or {@code null} when unknown. */
  public static TensorType parse(String dtype) {
    if (dtype == null) {
      return null;
    }
    try {
      return valueOf(dtype.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
