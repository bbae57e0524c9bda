package dev.rerankers.llmlayerwise.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rerankers.tokenizers.PaddedBatch;
import dev.rerankers.transformers.models.CausalLm;
import dev.rerankers.transformers.models.DecoderModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A causal LM scored by next-token logits at each prompt's last token: the logit of one token
 * (bge-reranker-v2-gemma: "Yes"), the difference of two (mxbai v2: logit("1") − logit("0")), or
 * the probability of the first against the second (Qwen3-Reranker: {@code softmax(no, yes)[yes]}).
 * Only the needed vocabulary columns of the LM head are computed.
 */
public final class TokenScoreModel implements ScoreModel {
  /** How the token logits become a score. */
  public enum Rule {
    /** {@code z[a]}. */
    LOGIT,
    /** {@code z[a] − z[b]}. */
    DIFFERENCE,
    /** {@code exp(z[a]) / (exp(z[a]) + exp(z[b]))}. */
    PROBABILITY
  }

  private final CausalLm lm;
  private final Rule rule;
  private final long[] tokens;
  private final String architecture;
  private final String description;

  /**
   * @param tokens one token for {@link Rule#LOGIT}, two ({@code a, b}) otherwise
   * @param description the score rule for messages, e.g. {@code logit("1") - logit("0")}
   */
  public TokenScoreModel(CausalLm lm, String architecture, Rule rule, String description, long... tokens) {
    if (tokens.length != (rule == Rule.LOGIT ? 1 : 2)) {
      throw new IllegalArgumentException(rule + " needs " + (rule == Rule.LOGIT ? 1 : 2) + " tokens");
    }
    this.lm = lm;
    this.rule = rule;
    this.tokens = tokens.clone();
    this.architecture = architecture;
    this.description = description;
  }

  @Override
  public double[] scores(NDManager manager, PaddedBatch batch, List<PromptTokens> prompts, Plan plan) {
    Shape shape = new Shape(batch.size(), batch.length());
    NDArray ids = manager.create(batch.inputIds(), shape);
    NDArray mask = manager.create(batch.attentionMask(), shape);
    DecoderModel decoder = lm.decoder();
    NDArray hidden = decoder.forward(decoder.embed(ids), plan.context(decoder, mask), decoder.numLayers());
    long[] last = new long[batch.size()];
    int[] lengths = batch.lengths();
    for (int i = 0; i < last.length; i++) {
      last[i] = batch.leftPadded() ? batch.length() - 1 : lengths[i] - 1;
    }
    float[] z = lm.tokenLogits(CausalLm.gather(hidden, last), tokens).toFloatArray();
    double[] out = new double[batch.size()];
    int k = tokens.length;
    for (int i = 0; i < out.length; i++) {
      float a = z[i * k];
      out[i] = switch (rule) {
        case LOGIT -> a;
        case DIFFERENCE -> a - z[i * k + 1];
        case PROBABILITY -> 1.0 / (1.0 + Math.exp((double) z[i * k + 1] - a));
      };
    }
    return out;
  }

  @Override
  public DecoderModel.PrefixCache prefill(NDManager manager, long[] prefixIds, int sequenceLength) {
    return lm.decoder().prefill(manager.create(prefixIds, new Shape(1, prefixIds.length)), lm.decoder().numLayers(), sequenceLength);
  }

  @Override
  public long activationBytesPerRow(int length) {
    return lm.decoder().activationBytesPerRow(length);
  }

  @Override
  public boolean onCpu() {
    return lm.weights().placement().isCpu();
  }

  @Override
  public NDManager manager() {
    return lm.weights().manager();
  }

  @Override
  public long vocabSize() {
    return Math.min(lm.vocabSize(), lm.decoder().config().vocabSize());
  }

  @Override
  public String device() {
    return lm.weights().placement().deviceName();
  }

  @Override
  public String dtype() {
    return lm.weights().placement().dtypeName();
  }

  @Override
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("architecture", architecture);
    m.put("layers", Integer.toString(lm.decoder().numLayers()));
    m.put("score", description);
    return m;
  }

  @Override
  public void close() {
    lm.close();
  }
}
