package dev.rerankers.transformers.internal;

import dev.rerankers.transformers.graph.GraphRuntime;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The options of one {@code cross-encoder} load, parsed and checked once by the provider: what
 * {@link CrossEncoderLoader} reads instead of the spec's raw options.
 *
 * @param batchSize pairs per batch
 * @param maxLength the truncation length, or empty for the tokenizer's {@code model_max_length}
 * @param sigmoid whether scores go through a sigmoid
 * @param monobert whether a two-label model is scored {@code logit[1] − logit[0]}
 * @param format the checkpoint format, or empty to pick it from the files
 * @param cpuChunkBytes on CPU, the largest layer intermediate one forward pass may create (0 = no split)
 * @param device the device option ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N})
 * @param dtype the dtype option ({@code fp32}, {@code fp16}, {@code bf16}, {@code auto})
 * @param graph the runtime options: eager libtorch or a recorded ONNX graph
 */
public record CrossEncoderSettings(
    int batchSize,
    OptionalInt maxLength,
    boolean sigmoid,
    boolean monobert,
    Optional<CheckpointFormat> format,
    long cpuChunkBytes,
    String device,
    String dtype,
    GraphRuntime graph) {}
