package dev.rerankers.transformers.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import dev.rerankers.InferenceException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.transformers.checkpoint.Placement;
import dev.rerankers.transformers.checkpoint.Weights;
import dev.rerankers.transformers.nn.MultimodalRotary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Qwen2-VL (transformers' {@code Qwen2VLForConditionalGeneration}) without generation: the vision
 * tower ({@link Qwen2VlVision}) turns each image's patches into embeddings, which replace the
 * {@code <|image_pad|>} token embeddings of the prompt; the Qwen2 decoder ({@link DecoderModel})
 * then runs with multimodal rotary embeddings over 3-D position ids ({@link Qwen2VlPositions},
 * {@link MultimodalRotary}); the LM head is {@link CausalLm}'s.
 *
 * <p>Weights: the decoder under {@code model.} (v4 checkpoints, also what transformers 5 saves) or
 * {@code model.language_model.}, the vision tower under {@code visual.} or {@code model.visual.},
 * {@code lm_head.weight} unless tied.
 *
 * <p>Immutable; safe to call from several threads. Every intermediate lives in the caller's
 * manager; {@link #close()} frees the weights.
 */
public final class Qwen2VlModel implements AutoCloseable {
  private final Qwen2VlConfig config;
  private final CausalLm lm;
  private final Qwen2VlVision vision;
  private final MultimodalRotary rotary;

  private Qwen2VlModel(Qwen2VlConfig config, CausalLm lm, Qwen2VlVision vision) {
    this.config = config;
    this.lm = lm;
    this.vision = vision;
    this.rotary = new MultimodalRotary(config.text().headDim(), config.mropeSection());
  }

  /**
   * One image's flattened patches (the image processor's {@code pixel_values} rows) and grid.
   *
   * @param pixelValues {@code gridT·gridH·gridW} rows of {@code C·T·P·P} values, row-major
   * @param gridT temporal patches (1 for an image)
   * @param gridH patch rows
   * @param gridW patch columns
   */
  public record Image(float[] pixelValues, int gridT, int gridH, int gridW) {
    public Image {
      Objects.requireNonNull(pixelValues, "pixelValues");
      if (gridT <= 0 || gridH <= 0 || gridW <= 0) {
        throw new IllegalArgumentException("image grid must be positive, got " + gridT + "x" + gridH + "x" + gridW);
      }
    }

    /** The grid. */
    public Qwen2VlPositions.Grid grid() {
      return new Qwen2VlPositions.Grid(gridT, gridH, gridW);
    }
  }

  /**
   * A padded batch (padding on either side).
   *
   * @param inputIds [rows × length] token ids, row-major, with one run of {@code image_token_id}
   *     per image of the right length
   * @param attentionMask [rows × length], 1 for tokens and 0 for padding
   * @param rows the batch size
   * @param length the padded length
   * @param images the images in order of appearance (row by row)
   */
  public record Batch(long[] inputIds, long[] attentionMask, int rows, int length, List<Image> images) {
    public Batch {
      images = List.copyOf(images);
      if (rows <= 0 || length <= 0 || inputIds.length != (long) rows * length
          || attentionMask.length != inputIds.length) {
        throw new IllegalArgumentException("batch of " + rows + "x" + length + " with " + inputIds.length + " ids and "
            + attentionMask.length + " mask values");
      }
    }
  }

  /**
   * Loads config.json and the safetensors weights; every tensor must be used.
   *
   * @throws dev.rerankers.ConfigException when the config is not a valid Qwen2-VL config
   * @throws dev.rerankers.CheckpointException when the weights do not match it
   */
  public static Qwen2VlModel load(ModelSource source, Placement placement) {
    Qwen2VlConfig config = Qwen2VlConfig.read(source.file("config.json"));
    Weights w = Weights.open(source, placement);
    try {
      Qwen2VlModel model = load(w, config);
      w.checkAllUsed();
      return model;
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
  }

  /** Builds the model from opened weights (the caller checks unused keys and owns closing). */
  public static Qwen2VlModel load(Weights w, Qwen2VlConfig config) {
    String textBase = w.basePrefix("embed_tokens.", "model.language_model.", "model.");
    String visionBase = w.basePrefix("patch_embed.", "model.visual.", "visual.");
    CausalLm lm = CausalLm.load(w, config.text(), textBase);
    Qwen2VlVision vision = Qwen2VlVision.load(w, visionBase, config.vision());
    return new Qwen2VlModel(config, lm, vision);
  }

  /** The config. */
  public Qwen2VlConfig config() {
    return config;
  }

  /** The language model and its head. */
  public CausalLm lm() {
    return lm;
  }

  /** The weights (and their manager). */
  public Weights weights() {
    return lm.weights();
  }

  /** One image's embeddings [tokens, hidden], in the manager given. */
  public NDArray imageEmbeddings(NDManager manager, Image image) {
    Qwen2VlConfig.Vision v = config.vision();
    long rows = (long) image.gridT() * image.gridH() * image.gridW();
    if (image.pixelValues().length != rows * v.patchValues()) {
      throw new InferenceException("an image of " + image.gridT() + "x" + image.gridH() + "x" + image.gridW()
          + " patches needs " + rows * v.patchValues() + " pixel values, got " + image.pixelValues().length);
    }
    if (image.gridH() % v.spatialMergeSize() != 0 || image.gridW() % v.spatialMergeSize() != 0) {
      throw new InferenceException("image grid " + image.gridH() + "x" + image.gridW()
          + " is not a multiple of spatial_merge_size " + v.spatialMergeSize());
    }
    NDArray patches = manager.create(image.pixelValues(), new Shape(rows, v.patchValues()));
    NDArray out = vision.forward(patches, image.gridT(), image.gridH(), image.gridW());
    patches.close();
    return out;
  }

  /**
   * The 3-D position ids [3][rows][length] of a batch, checking that each image-token run matches
   * its image.
   *
   * @throws InferenceException when image tokens and images disagree
   */
  public long[][][] positions(Batch batch) {
    int merge = config.vision().spatialMergeSize();
    long image = config.imageTokenId();
    long[][][] pos = new long[3][batch.rows()][];
    int next = 0;
    for (int r = 0; r < batch.rows(); r++) {
      int from = r * batch.length();
      long[] ids = Arrays.copyOfRange(batch.inputIds(), from, from + batch.length());
      long[] mask = Arrays.copyOfRange(batch.attentionMask(), from, from + batch.length());
      int count = 0;
      for (int i = 0; i < ids.length; i++) {
        if (mask[i] != 0 && ids[i] == image) {
          count++;
        }
      }
      List<Qwen2VlPositions.Grid> grids = new ArrayList<>();
      int have = 0;
      while (have < count) {
        if (next >= batch.images().size()) {
          throw new InferenceException("row " + r + " has " + count + " image tokens but the batch has only "
              + batch.images().size() + " image(s)");
        }
        Qwen2VlPositions.Grid g = batch.images().get(next++).grid();
        grids.add(g);
        have += g.tokens(merge);
      }
      if (have != count) {
        throw new InferenceException("row " + r + " has " + count + " image tokens but its images need " + have);
      }
      Qwen2VlPositions.Row row = Qwen2VlPositions.of(ids, mask, image, grids, merge);
      for (int a = 0; a < 3; a++) {
        pos[a][r] = row.ids()[a];
      }
    }
    if (next != batch.images().size()) {
      throw new InferenceException("the batch has " + batch.images().size() + " image(s) but its prompts hold "
          + next + " image-token run(s)");
    }
    return pos;
  }

  /**
   * The last hidden state [rows, length, hidden] after the final norm, in the manager given.
   *
   * @throws InferenceException when ids are outside the vocabulary or image tokens and images
   *     disagree
   */
  public NDArray forward(NDManager manager, Batch batch) {
    return forward(manager, batch, -1);
  }

  /**
   * {@link #forward(NDManager, Batch)} with the decoder's feed-forward in token chunks under {@code
   * cpuBudgetBytes} (0 = never chunk; negative: the placement's default, see {@link
   * DecoderModel.Context#withCpuBudget}).
   */
  public NDArray forward(NDManager manager, Batch batch, long cpuBudgetBytes) {
    long vocab = Math.min(config.text().vocabSize(), lm.vocabSize());
    for (long id : batch.inputIds()) {
      if (id < 0 || id >= vocab) {
        throw new InferenceException("token id " + id + " is outside the vocabulary of " + vocab);
      }
    }
    long[][][] pos = positions(batch);
    int b = batch.rows();
    int len = batch.length();
    DecoderModel decoder = lm.decoder();
    NDArray ids = manager.create(batch.inputIds(), new Shape(b, len));
    NDArray mask = manager.create(batch.attentionMask(), new Shape(b, len));
    NDArray h = decoder.embed(ids);
    if (!batch.images().isEmpty()) {
      h = withImages(manager, h, batch);
    }
    DataType dtype = h.getDataType();
    NDList rope = rotary.tables(manager, pos, config.text().rope().invFreq(len), config.text().rope().attentionFactor(),
        dtype);
    DecoderModel.Context ctx = decoder.context(mask, rope.get(0), rope.get(1));
    if (cpuBudgetBytes >= 0) {
      ctx = ctx.withCpuBudget(cpuBudgetBytes);
    }
    for (int i = 0; i < decoder.numLayers(); i++) {
      NDArray next = decoder.layer(i, h, ctx);
      h.close();
      h = next;
    }
    return decoder.norm(h);
  }

  /** {@code inputs_embeds.masked_scatter(image_mask, image_embeds)}: image-token rows replaced in order. */
  private NDArray withImages(NDManager manager, NDArray h, Batch batch) {
    NDList embeds = new NDList();
    long total = 0;
    for (Image image : batch.images()) {
      NDArray e = imageEmbeddings(manager, image);
      total += e.getShape().get(0);
      embeds.add(e);
    }
    long image = config.imageTokenId();
    long[] ids = batch.inputIds();
    long[] index = new long[ids.length];
    long k = 0;
    for (int p = 0; p < ids.length; p++) {
      index[p] = ids[p] == image ? ids.length + k++ : p;
    }
    if (k != total) {
      throw new InferenceException("the prompts hold " + k + " image tokens but the images give " + total + " embeddings");
    }
    long hidden = h.getShape().get(2);
    NDArray img = embeds.size() == 1 ? embeds.get(0) : NDArrays.concat(embeds, 0);
    if (img.getDataType() != h.getDataType()) {
      img = img.toType(h.getDataType(), false);
    }
    NDArray table = h.reshape(ids.length, hidden).concat(img, 0);
    NDArray idx = manager.create(index);
    NDArray out = idx.getNDArrayInternal().embedding(idx, table, SparseFormat.DENSE).singletonOrThrow()
        .reshape(h.getShape());
    embeds.close();
    table.close();
    idx.close();
    h.close();
    return out;
  }

  @Override
  public void close() {
    lm.close();
  }
}
