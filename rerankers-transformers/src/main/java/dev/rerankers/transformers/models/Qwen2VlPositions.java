package dev.rerankers.transformers.models;

import dev.rerankers.InferenceException;
import java.util.Iterator;
import java.util.List;

/**
 * Qwen2-VL's 3-D position ids for M-RoPE (transformers' {@code Qwen2VLModel.get_rope_index}, for
 * image inputs): text tokens count up on all three axes; a run of image tokens for an image of
 * {@code t × h × w} patches ({@code h' = h / merge}, {@code w' = w / merge} tokens per frame) gets
 * temporal ids {@code start + frame}, height ids {@code start + row} and width ids {@code start +
 * column}; the text after it resumes at {@code start + max(h', w')}. Padding gets 0 on every axis.
 *
 * <p>Pure arithmetic on Java arrays; stateless and thread-safe.
 */
public final class Qwen2VlPositions {
  private Qwen2VlPositions() {}

  /**
   * The ids of one image: grid {@code t × h × w} patches (before merging).
   *
   * @param t temporal patches
   * @param h patch rows
   * @param w patch columns
   */
  public record Grid(int t, int h, int w) {
    public Grid {
      if (t <= 0 || h <= 0 || w <= 0) {
        throw new IllegalArgumentException("image grid must be positive, got " + t + "x" + h + "x" + w);
      }
    }

    /** Tokens after an {@code merge × merge} spatial merge. */
    public int tokens(int merge) {
      return t * (h / merge) * (w / merge);
    }
  }

  /**
   * Position ids for one row.
   *
   * @param ids [3][length]: temporal, height, width ids (0 at padding)
   * @param ropeDelta {@code max(id) + 1 − tokens} (transformers' {@code rope_deltas})
   */
  public record Row(long[][] ids, long ropeDelta) {}

  /**
   * Computes the ids of one row.
   *
   * @param inputIds the row's token ids
   * @param attentionMask 1 for tokens, 0 for padding (either side)
   * @param imageTokenId the {@code <|image_pad|>} id
   * @param images the grids of the row's images, in order
   * @param merge {@code spatial_merge_size}
   * @throws InferenceException when a run of image tokens does not match its image's token count
   */
  public static Row of(long[] inputIds, long[] attentionMask, long imageTokenId, List<Grid> images, int merge) {
    int len = inputIds.length;
    long[][] ids = new long[3][len];
    Iterator<Grid> grids = images.iterator();
    long current = 0;
    long max = Long.MIN_VALUE;
    int tokens = 0;
    int i = 0;
    while (i < len) {
      if (attentionMask[i] == 0) {
        i++;
        continue;
      }
      if (inputIds[i] != imageTokenId) {
        for (int a = 0; a < 3; a++) {
          ids[a][i] = current;
        }
        max = Math.max(max, current);
        current++;
        tokens++;
        i++;
        continue;
      }
      if (!grids.hasNext()) {
        throw new InferenceException("the prompt has more image-token runs than images (" + images.size() + ")");
      }
      Grid g = grids.next();
      int gh = g.h() / merge;
      int gw = g.w() / merge;
      int expected = g.tokens(merge);
      int k = 0;
      for (int frame = 0; frame < g.t(); frame++) {
        for (int row = 0; row < gh; row++) {
          for (int col = 0; col < gw; col++) {
            while (i < len && attentionMask[i] == 0) {
              i++;
            }
            if (i >= len || inputIds[i] != imageTokenId) {
              throw new InferenceException("an image of " + g.t() + "x" + g.h() + "x" + g.w() + " patches needs "
                  + expected + " image tokens but its run has " + k);
            }
            ids[0][i] = current + frame;
            ids[1][i] = current + row;
            ids[2][i] = current + col;
            max = Math.max(max, Math.max(current + frame, Math.max(current + row, current + col)));
            k++;
            tokens++;
            i++;
          }
        }
      }
      if (i < len && attentionMask[i] != 0 && inputIds[i] == imageTokenId) {
        throw new InferenceException("an image of " + g.t() + "x" + g.h() + "x" + g.w() + " patches needs " + expected
            + " image tokens but its run is longer");
      }
      current += Math.max(gh, gw);
    }
    if (grids.hasNext()) {
      throw new InferenceException("the prompt has fewer image-token runs than images (" + images.size() + ")");
    }
    return new Row(ids, tokens == 0 ? 0 : max + 1 - tokens);
  }
}
