package dev.rerankers.llmlayerwise.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.models.CausalLm;
import dev.rerankers.transformers.models.DecoderModel;
import dev.rerankers.transformers.nn.Linear;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * BAAI's layerwise rankers (FlagEmbedding's {@code LayerWiseMiniCPMForCausalLM} and {@code
 * CostWiseGemmaForCausalLM}): the decoder runs up to the cutoff layer {@code c}; the hidden state
 * after {@code c} layers goes through the final RMS norm and a one-output linear head (Gemma2:
 * soft-capped by {@code final_logit_softcapping}); the score is that output at each row's last
 * token. With several cutoff layers BAAI computes one score per layer and Python rerankers keeps
 * the last, the deepest: only that one is computed here. The lightweight Gemma2 model may also
 * compress passage tokens before given layers ({@link TokenCompression}).
 *
 * <p>By default the forward stops at the cutoff (BAAI's loop breaks there too) and layers beyond
 * it are never loaded; {@code stopAtCutoff=false} loads and runs every layer (the score is
 * unchanged: it is read at the cutoff).
 */
public final class LayerwiseModel implements ScoreModel {
  private final DecoderModel decoder;
  private final Weights weights;
  private final Linear head;
  private final int cutoff;
  private final int runLayers;
  private final float softcap;
  private final int compressRatio;
  private final SortedSet<Integer> compressLayers;
  private final Map<String, String> description;

  /**
   * @param head the scoring head of the cutoff layer (weight [1, hidden])
   * @param cutoff the deepest cutoff layer (scores are read after this many layers)
   * @param runLayers layers to run: {@code cutoff} to stop there, or all
   * @param softcap Gemma2's final soft-capping of the head output, or 0
   * @param compressRatio passage tokens per pooled token (1 = no compression)
   * @param compressLayers layers before which passages are compressed (layer 0 never is)
   */
  public LayerwiseModel(DecoderModel decoder, Weights weights, Linear head, int cutoff, int runLayers, double softcap,
      int compressRatio, List<Integer> compressLayers, Map<String, String> description) {
    this.decoder = decoder;
    this.weights = weights;
    this.head = head;
    this.cutoff = cutoff;
    this.runLayers = runLayers;
    this.softcap = (float) softcap;
    this.compressRatio = compressRatio;
    this.compressLayers = new TreeSet<>(compressLayers);
    this.description = new LinkedHashMap<>(description);
  }

  @Override
  public double[] scores(NDManager manager, PaddedBatch batch, List<PromptTokens> prompts, Plan plan) {
    if (batch.leftPadded()) {
      throw new IllegalArgumentException("layerwise scoring (and BAAI's compression) needs right padding");
    }
    int b = batch.size();
    DecoderModel.PrefixCache prefix = plan.prefix();
    int cached = prefix == null ? 0 : prefix.length();
    Shape shape = new Shape(b, batch.length());
    NDArray ids = manager.create(batch.inputIds(), shape);
    NDArray mask = manager.create(batch.attentionMask(), shape);
    int[] lengths = batch.lengths();
    int[] queryLengths = new int[b];
    int[] promptLengths = new int[b];
    for (int i = 0; i < b; i++) {
      // the cached prefix lies within the query part (prefixLimit), so compression sees the rest of it
      queryLengths[i] = prompts.get(i).queryLength() - cached;
      promptLengths[i] = prompts.get(i).promptLength();
    }
    NDArray h = decoder.embed(ids);
    DecoderModel.Context ctx = plan.context(decoder, mask);
    NDArray captured = null;
    int[] capturedLengths = null;
    for (int layer = 0; layer < runLayers; layer++) {
      if (layer == cutoff) {
        captured = decoder.norm(h);
        capturedLengths = lengths.clone();
      }
      if (compressRatio > 1 && layer != 0 && compressLayers.contains(layer)) {
        TokenCompression.Result r = TokenCompression.compress(h, lengths, queryLengths, promptLengths, compressRatio);
        h.close();
        h = r.hidden();
        lengths = r.lengths();
        mask = mask(manager, lengths, (int) h.getShape().get(1));
        ctx = decoder.context(mask, prefix, 0).withCpuBudget(plan.cpuBudgetBytes());
      }
      NDArray next = decoder.layer(layer, h, ctx);
      h.close(); // only the newest hidden state stays alive
      h = next;
    }
    if (captured == null) {
      captured = decoder.norm(h);
      capturedLengths = lengths;
    }
    long[] last = new long[b];
    for (int i = 0; i < b; i++) {
      last[i] = capturedLengths[i] - 1;
    }
    NDArray z = head.forward(CausalLm.gather(captured, last));
    if (softcap > 0) {
      z = z.div(softcap).tanh().mul(softcap);
    }
    float[] f = z.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    double[] out = new double[b];
    for (int i = 0; i < b; i++) {
      out[i] = f[i];
    }
    return out;
  }

  @Override
  public DecoderModel.PrefixCache prefill(NDManager manager, long[] prefixIds, int sequenceLength) {
    return decoder.prefill(manager.create(prefixIds, new Shape(1, prefixIds.length)), runLayers, sequenceLength);
  }

  /** With compression, a cached prefix must end within every row's query part. */
  @Override
  public int prefixLimit(List<PromptTokens> prompts) {
    if (compressRatio <= 1 || compressLayers.isEmpty()) {
      return Integer.MAX_VALUE;
    }
    int limit = Integer.MAX_VALUE;
    for (PromptTokens p : prompts) {
      limit = Math.min(limit, p.queryLength());
    }
    return limit;
  }

  @Override
  public long activationBytesPerRow(int length) {
    return decoder.activationBytesPerRow(length);
  }

  @Override
  public boolean onCpu() {
    return weights.placement().isCpu();
  }

  private static NDArray mask(NDManager manager, int[] lengths, int len) {
    long[] m = new long[lengths.length * len];
    for (int i = 0; i < lengths.length; i++) {
      java.util.Arrays.fill(m, i * len, i * len + lengths[i], 1L);
    }
    return manager.create(m, new Shape(lengths.length, len));
  }

  @Override
  public NDManager manager() {
    return weights.manager();
  }

  @Override
  public long vocabSize() {
    return decoder.config().vocabSize();
  }

  @Override
  public String device() {
    return weights.placement().deviceName();
  }

  @Override
  public String dtype() {
    return weights.placement().dtypeName();
  }

  @Override
  public Map<String, String> describe() {
    return new LinkedHashMap<>(description);
  }

  @Override
  public void close() {
    weights.close();
  }
}
