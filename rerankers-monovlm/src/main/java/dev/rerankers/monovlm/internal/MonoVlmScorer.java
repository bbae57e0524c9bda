package dev.rerankers.monovlm.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.rerankers.Document;
import dev.rerankers.RerankerException;
import dev.rerankers.InferenceException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.spi.CloseGuard;
import dev.rerankers.spi.Scorer;
import dev.rerankers.spi.Scores;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.transformers.checkpoint.CpuPasses;
import dev.rerankers.transformers.models.CausalLm;
import dev.rerankers.transformers.models.Qwen2VlModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * MonoQwen2-VL scoring, as Python rerankers' {@code MonoVLMRanker}: for each image document, the
 * chat prompt with the image and the query ({@link MonoVlmPrompt}); the logits of the {@code
 * False} and {@code True} tokens at the last position; score {@code softmax(False, True)[True]}
 * (or the {@code True} logit with {@code returnLogits}). Documents go through the model {@code
 * batchSize} at a time (Python: one at a time), right-padded; each row's score is read at its own
 * last token, so batching changes scores only by float rounding. On the CPU a batch runs in passes,
 * and the decoder's and vision tower's feed-forward in chunks, under {@code cpuChunkMb}.
 *
 * <p>Safe to call from several threads at once (each call has its own native scope); {@link
 * #close()} waits for calls in progress.
 */
public final class MonoVlmScorer implements Scorer {
  private final RerankerInfo info;
  private final Qwen2VlModel model;
  private final HfTokenizer tokenizer;
  private final MonoVlmPrompt prompt;
  private final Qwen2VlImageProcessor processor;
  private final ImageLoader loader;
  private final int batchSize;
  private final long falseId;
  private final long trueId;
  private final boolean returnLogits;
  private final long cpuBudgetBytes;
  private final CloseGuard guard;

  /** {@code cpuBudgetBytes}: the largest layer intermediate of one CPU pass (0 = no split). */
  MonoVlmScorer(RerankerInfo info, Qwen2VlModel model, HfTokenizer tokenizer, MonoVlmPrompt prompt,
      Qwen2VlImageProcessor processor, ImageLoader loader, int batchSize, long falseId, long trueId,
      boolean returnLogits, long cpuBudgetBytes) {
    this.info = info;
    this.guard = new CloseGuard(info.label());
    this.model = model;
    this.tokenizer = tokenizer;
    this.prompt = prompt;
    this.processor = processor;
    this.loader = loader;
    this.batchSize = batchSize;
    this.falseId = falseId;
    this.trueId = trueId;
    this.returnLogits = returnLogits;
    this.cpuBudgetBytes = cpuBudgetBytes;
  }

  @Override
  public Scores score(String query, List<Document> documents) {
    return guard.call(() -> scoreAll(query, documents));
  }

  private Scores scoreAll(String query, List<Document> documents) {
    long[][] parts = prompt.parts(query);
    double[] scores = new double[documents.size()];
    for (int start = 0; start < documents.size(); start += batchSize) {
      int end = Math.min(documents.size(), start + batchSize);
      List<Qwen2VlModel.Image> images = new ArrayList<>();
      List<long[]> rows = new ArrayList<>();
      for (int i = start; i < end; i++) {
        Document d = documents.get(i);
        String what = "docs[" + i + "] (id " + d.id() + ")";
        if (!d.isImage()) {
          throw new IllegalArgumentException(what + " is a text document; " + info.type() + " ranks image documents: "
              + "Document.of(Document.Image.fromPath(...)), fromBytes(...) or fromBase64(...)");
        }
        RgbImage rgb = ImageDecoder.decode(loader.read(d.image(), what), what, loader.options().maxPixels());
        Qwen2VlImageProcessor.Patches p;
        try {
          p = processor.process(rgb);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        int merge = processor.config().mergeSize();
        images.add(new Qwen2VlModel.Image(p.values(), p.gridT(), p.gridH(), p.gridW()));
        rows.add(prompt.ids(parts, p.gridT() * (p.gridH() / merge) * (p.gridW() / merge)));
      }
      float[] logits = forward(rows, images, start);
      for (int r = 0; r < rows.size(); r++) {
        double f = logits[2 * r];
        double t = logits[2 * r + 1];
        scores[start + r] = returnLogits ? t : 1.0 / (1.0 + Math.exp(f - t));
      }
    }
    return Scores.of(scores);
  }

  /**
   * The (False, True) logits at each row's last token, [rows × 2]: on the CPU in passes of rows
   * (one image each) whose largest decoder intermediate stays under the budget.
   */
  private float[] forward(List<long[]> rows, List<Qwen2VlModel.Image> images, int first) {
    int longest = 0;
    for (long[] r : rows) {
      longest = Math.max(longest, r.length);
    }
    int perPass = CpuPasses.rowsPerPass(rows.size(), model.lm().decoder().activationBytesPerRow(longest), cpuBudgetBytes);
    float[] out = new float[2 * rows.size()];
    for (int from = 0; from < rows.size(); from += perPass) {
      int to = Math.min(rows.size(), from + perPass);
      float[] part = forwardPass(rows.subList(from, to), images.subList(from, to), first + from);
      System.arraycopy(part, 0, out, 2 * from, part.length);
    }
    return out;
  }

  private float[] forwardPass(List<long[]> rows, List<Qwen2VlModel.Image> images, int first) {
    int len = 0;
    for (long[] r : rows) {
      len = Math.max(len, r.length);
    }
    long[] ids = new long[rows.size() * len];
    long[] mask = new long[ids.length];
    long[] last = new long[rows.size()];
    Arrays.fill(ids, tokenizer.padId());
    for (int r = 0; r < rows.size(); r++) {
      long[] row = rows.get(r);
      System.arraycopy(row, 0, ids, r * len, row.length);
      Arrays.fill(mask, r * len, r * len + row.length, 1L);
      last[r] = row.length - 1;
    }
    try (NDManager batch = model.weights().manager().newSubManager()) {
      NDArray hidden = model.forward(batch, new Qwen2VlModel.Batch(ids, mask, rows.size(), len, images), cpuBudgetBytes);
      return model.lm().tokenLogits(CausalLm.gather(hidden, last), falseId, trueId).toFloatArray();
    } catch (RerankerException | IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InferenceException(info.label() + " failed on documents " + first + ".." + (first + rows.size() - 1)
          + " (" + len + " tokens per row): " + e, e);
    }
  }

  @Override
  public RerankerInfo info() {
    return info;
  }

  @Override
  public boolean supportsImages() {
    return true;
  }

  @Override
  public void close() {
    guard.close(model, tokenizer);
  }
}
