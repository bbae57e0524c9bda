package dev.rerankers.flashrank;

import java.util.List;
import java.util.Optional;

/**
 * The models FlashRank serves (its catalogue), as FlashRank 0.2.x lists them ({@code
 * flashrank/Config.py}): each model is a zip {@code <name>.zip} in the Hugging Face repository
 * {@value #REPO}, holding a folder {@code <name>/} with the model file, {@code config.json}, {@code
 * tokenizer.json}, {@code tokenizer_config.json} and {@code special_tokens_map.json}. Immutable.
 */
public final class FlashRankModels {
  /** The Hub repository holding the catalogue's zips (CC-BY-SA, per FlashRank). */
  public static final String REPO = "prithivida/flashrank";

  private static final List<FlashRankModel> MODELS =
      List.of(
          new FlashRankModel("ms-marco-TinyBERT-L-2-v2", "flashrank-TinyBERT-L-2-v2.onnx", FlashRankModel.Runtime.ONNX,
              "FlashRank's default: cross-encoder/ms-marco-TinyBERT-L-2, ~4 MB, English"),
          new FlashRankModel("ms-marco-MiniLM-L-12-v2", "flashrank-MiniLM-L-12-v2_Q.onnx", FlashRankModel.Runtime.ONNX,
              "cross-encoder/ms-marco-MiniLM-L-12-v2 quantized, ~34 MB, FlashRank's best cross-encoder, English"),
          new FlashRankModel("ms-marco-MultiBERT-L-12", "flashrank-MultiBERT-L12_Q.onnx", FlashRankModel.Runtime.ONNX,
              "multilingual BERT cross-encoder quantized, ~150 MB, 100+ languages"),
          new FlashRankModel("rank-T5-flan", "flashrank-rankt5_Q.onnx", FlashRankModel.Runtime.ONNX,
              "bergum/rank-T5-flan quantized, ~110 MB, best zero-shot (out-of-domain) ranker of the catalogue"),
          new FlashRankModel("ce-esci-MiniLM-L12-v2", "flashrank-ce-esci-MiniLM-L12-v2_Q.onnx", FlashRankModel.Runtime.ONNX,
              "metarank/ce-esci-MiniLM-L12-v2 quantized, fine-tuned on Amazon ESCI (e-commerce search)"),
          new FlashRankModel("rank_zephyr_7b_v1_full", "rank_zephyr_7b_v1_full.Q4_K_M.gguf", FlashRankModel.Runtime.LLAMA_CPP,
              "castorini/rank_zephyr_7b_v1_full, 4-bit GGUF (~4 GB), a listwise LLM ranker FlashRank runs with llama.cpp"),
          new FlashRankModel("miniReranker_arabic_v1", "miniReranker_arabic_v1.onnx", FlashRankModel.Runtime.ONNX,
              "prithivida/miniReranker_arabic_v1, a dedicated Arabic reranker"));

  private FlashRankModels() {}

  /** Every catalogue model, in FlashRank's order. */
  public static List<FlashRankModel> all() {
    return MODELS;
  }

  /** A model by its exact catalogue name. */
  public static Optional<FlashRankModel> find(String name) {
    return MODELS.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** The names, comma-separated, for messages. */
  public static String names() {
    return String.join(", ", MODELS.stream().map(FlashRankModel::name).toList());
  }
}
