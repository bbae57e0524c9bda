package dev.rerankers.flashrank;

import java.util.Objects;

/**
 * One model of FlashRank's catalogue: its name (as FlashRank and Python rerankers spell it), the
 * file inside its zip that FlashRank runs, and the runtime that file needs.
 *
 * @param name the catalogue name, e.g. {@code ms-marco-MiniLM-L-12-v2}; the zip is {@code <name>.zip}
 * @param file the model file inside the zip's {@code <name>/} folder
 * @param runtime what runs it: ONNX Runtime (served here) or llama.cpp (refused)
 * @param description what FlashRank says of it
 */
public record FlashRankModel(String name, String file, Runtime runtime, String description) {

  /** What runs a catalogue model. */
  public enum Runtime {
    /** A pairwise cross-encoder exported to ONNX: served by this module. */
    ONNX,
    /** A listwise LLM in GGUF format that FlashRank runs with llama.cpp: not served by this module. */
    LLAMA_CPP
  }

  public FlashRankModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(description, "description");
  }

  /** The zip's file name in the catalogue repository. */
  public String zipFile() {
    return name + ".zip";
  }
}
