package dev.rerankers.tokenizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PaddedBatch#rows}: a pass of a batch, cut to the length its own rows need. */
class PaddedBatchRowsTest {
  private static final List<Encoding> ROWS = List.of(
      Encoding.of(new long[] {11, 12, 13, 14, 15}, new long[] {0, 0, 1, 1, 1}),
      Encoding.of(new long[] {21, 22}, new long[] {0, 1}),
      Encoding.of(new long[] {31, 32, 33}, new long[] {0, 0, 1}));

  @Test
  void rowsAreCutToTheirLongestWithTheirPaddingAndTypes() {
    PaddedBatch batch = PaddedBatch.of(ROWS, 0, true, false, 1);
    PaddedBatch pass = batch.rows(1, 3);
    assertEquals(2, pass.size());
    assertEquals(3, pass.length());
    assertArrayEquals(new long[] {21, 22, 0, 31, 32, 33}, pass.inputIds());
    assertArrayEquals(new long[] {1, 1, 0, 1, 1, 1}, pass.attentionMask());
    assertArrayEquals(new long[] {0, 1, 0, 0, 0, 1}, pass.tokenTypeIds());
    assertArrayEquals(new int[] {2, 3}, pass.lengths());
    // the whole batch, uncut, is an equal copy
    PaddedBatch all = batch.rows(0, 3);
    assertEquals(5, all.length());
    assertArrayEquals(batch.inputIds(), all.inputIds());
    assertArrayEquals(batch.attentionMask(), all.attentionMask());
  }

  @Test
  void leftPaddingKeepsItsLengthAndAnEmptyRangeIsRefused() {
    PaddedBatch right = PaddedBatch.of(ROWS, 0, false, false, 1);
    assertThrows(IllegalArgumentException.class, () -> right.rows(1, 1));
    assertThrows(IllegalArgumentException.class, () -> right.rows(0, 4));
    assertThrows(IllegalArgumentException.class, () -> right.rows(-1, 2));
    PaddedBatch left = PaddedBatch.of(ROWS, 0, false, true, 1);
    PaddedBatch pass = left.rows(1, 3);
    assertEquals(5, pass.length());
    assertArrayEquals(new long[] {0, 0, 0, 21, 22, 0, 0, 31, 32, 33}, pass.inputIds());
  }
}
