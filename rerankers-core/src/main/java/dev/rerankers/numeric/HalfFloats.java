package dev.rerankers.numeric;

/**
 * 16-bit floating point to {@code float}: IEEE 754 binary16 ("fp16") and bfloat16 ("bf16"), as
 * checkpoints and ONNX outputs store them. Java 17 has no {@code Float.float16ToFloat}, and the
 * native engines cannot always do it (creating a BF16 array on the PyTorch CPU engine aborts the
 * JVM), so backends widen half-precision data here, in Java.
 */
public final class HalfFloats {
  private HalfFloats() {}

  /** IEEE 754 binary16 to binary32, subnormals, infinities and NaN included (exact). */
  public static float fp16ToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      float v = mant * 0x1p-24f; // subnormal: mant * 2^-24
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** bfloat16 to binary32: the upper half of a float's bits (exact). */
  public static float bf16ToFloat(short h) {
    return Float.intBitsToFloat((h & 0xffff) << 16);
  }
}
