package dev.rerankers.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {
  @Test
  void fp16CoversNormalsSubnormalsInfinityAndNan() {
    assertEquals(1.0f, HalfFloats.fp16ToFloat((short) 0x3c00));
    assertEquals(-2.0f, HalfFloats.fp16ToFloat((short) 0xc000));
    assertEquals(65504f, HalfFloats.fp16ToFloat((short) 0x7bff));
    assertEquals(0x1p-24f, HalfFloats.fp16ToFloat((short) 0x0001));
    assertEquals(-0x1p-14f * 1023 / 1024, HalfFloats.fp16ToFloat((short) 0x83ff));
    assertEquals(Float.POSITIVE_INFINITY, HalfFloats.fp16ToFloat((short) 0x7c00));
    assertTrue(Float.isNaN(HalfFloats.fp16ToFloat((short) 0x7e00)));
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(HalfFloats.fp16ToFloat((short) 0x8000)));
  }

  @Test
  void bf16IsTheUpperHalfOfAFloat() {
    assertEquals(1.0f, HalfFloats.bf16ToFloat((short) 0x3f80));
    assertEquals(-3.140625f, HalfFloats.bf16ToFloat((short) 0xc049));
  }

  @Test
  void everyFp16ValueRoundTripsThroughFloatToHalfBits() {
    // every finite half converts exactly: re-encoding the float's bits gives the same half
    for (int h = 0; h < 0x10000; h++) {
      float f = HalfFloats.fp16ToFloat((short) h);
      int exp = (h >>> 10) & 0x1f;
      if (exp == 0x1f) {
        continue;
      }
      int sign = (h & 0x8000) != 0 ? -1 : 1;
      int mant = h & 0x3ff;
      double expected = exp == 0 ? sign * mant * Math.pow(2, -24) : sign * (1 + mant / 1024.0) * Math.pow(2, exp - 15);
      assertEquals(expected, f, 0.0, "half 0x" + Integer.toHexString(h));
    }
  }
}
