package dev.rerankers.tokenizers.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;

/**
 * Checks SentencePiece's {@code precompiled_charsmap} (the {@code Precompiled} normaliser of
 * XLM-R, T5, mT5, ...) the way the Rust normaliser will read it: a little-endian u32 trie size,
 * the double-array trie (u32 units), then NUL-separated UTF-8 replacement strings. The Rust code
 * indexes the trie and slices the strings without bounds checks of its own, so a map whose trie
 * points outside itself, or whose replacement offsets fall outside the strings or inside a
 * character, panics on the first text that walks there, and aborts the JVM. This walks every
 * node reachable from the root by any byte and checks every index the Rust code would use.
 * Not API.
 */
final class PrecompiledMap {
  private PrecompiledMap() {}

  /** What is wrong with the map, or null when every reachable index is in range. */
  static String problem(byte[] map) {
    if (map.length < 4) {
      return "it holds " + map.length + " bytes, fewer than the 4-byte trie size";
    }
    ByteBuffer b = ByteBuffer.wrap(map).order(ByteOrder.LITTLE_ENDIAN);
    long trieBytes = b.getInt(0) & 0xffffffffL;
    long units = trieBytes / 4;
    if (units * 4 > map.length - 4L) {
      return "its trie size says " + trieBytes + " bytes but only " + (map.length - 4) + " follow";
    }
    if (units == 0) {
      return "its trie is empty";
    }
    int n = (int) units;
    long[] array = new long[n];
    for (int i = 0; i < n; i++) {
      array[i] = b.getInt(4 + 4 * i) & 0xffffffffL;
    }
    int normStart = 4 + 4 * n;
    byte[] normalized = java.util.Arrays.copyOfRange(map, normStart, map.length);
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(normalized));
    } catch (CharacterCodingException e) {
      return "its replacement strings are not UTF-8";
    }
    // Walk from the root: node = unit(0).offset; for each byte c: child = node ^ c, read
    // array[child]; when its label is c, node = child ^ offset, and when it has a leaf,
    // array[node].value is an offset into the replacement strings.
    long root = offset(array[0]);
    if (root >= n) {
      return "its root points to unit " + root + " of " + n;
    }
    BitSet seen = new BitSet(n);
    Deque<Integer> todo = new ArrayDeque<>();
    todo.add((int) root);
    seen.set((int) root);
    while (!todo.isEmpty()) {
      int node = todo.poll();
      for (int c = 1; c < 256; c++) {
        long child = node ^ c;
        if (child >= n) {
          return "unit " + node + " has a child " + child + " outside the trie's " + n + " units";
        }
        long unit = array[(int) child];
        if (label(unit) != c) {
          continue;
        }
        long next = child ^ offset(unit);
        if (next >= n) {
          return "unit " + child + " points to unit " + next + " outside the trie's " + n + " units";
        }
        if (hasLeaf(unit)) {
          long value = array[(int) next] & 0x7fffffffL;
          if (value > normalized.length) {
            return "an entry points to replacement offset " + value + " past the " + normalized.length + " bytes of strings";
          }
          if (value < normalized.length && (normalized[(int) value] & 0xc0) == 0x80) {
            return "an entry points to replacement offset " + value + ", inside a UTF-8 character";
          }
        }
        if (!seen.get((int) next)) {
          seen.set((int) next);
          todo.add((int) next);
        }
      }
    }
    return null;
  }

  private static boolean hasLeaf(long unit) {
    return ((unit >>> 8) & 1) == 1;
  }

  private static long label(long unit) {
    return unit & ((1L << 31) | 0xff);
  }

  private static long offset(long unit) {
    return (unit >>> 10) << ((unit & (1L << 9)) >>> 6);
  }
}
