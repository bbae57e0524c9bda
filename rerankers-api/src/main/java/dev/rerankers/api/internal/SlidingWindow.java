package dev.rerankers.api.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The bottom-up sliding window of RankGPT and RankLLM: windows of {@code window} documents, moved
 * up by {@code step}, starting from the bottom of the list. The window shrinks to the list when the
 * list is shorter (the Python RankGPT ranker sent nothing then), and the top window is clamped at
 * position 0, exactly as rank_llm's {@code sliding_windows} does: for 45 documents, window 20 and
 * step 10, the windows are [25,45), [15,35), [5,25), [0,15).
 */
final class SlidingWindow {
  private SlidingWindow() {}

  /** The windows as {@code [start, end)} pairs, in processing order (bottom first). */
  static List<int[]> windows(int n, int window, int step) {
    if (window < 1 || step < 1 || step > window) {
      throw new IllegalArgumentException("need 1 <= step <= window, got window " + window + ", step " + step);
    }
    List<int[]> out = new ArrayList<>();
    if (n <= 0) {
      return out;
    }
    int w = Math.min(window, n);
    int end = n;
    int start = n - w;
    while (true) {
      int s = Math.max(start, 0);
      out.add(new int[] {s, end});
      if (s == 0) {
        return out;
      }
      end -= step;
      start -= step;
    }
  }
}
