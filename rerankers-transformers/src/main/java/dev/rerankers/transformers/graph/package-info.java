/**
 * The graph runtime: the encoders' Java code, written against {@link
 * dev.rerankers.transformers.nn.Ops}, run once on {@link dev.rerankers.transformers.graph.GraphOps}
 * records an ONNX graph (ONNX Runtime's fused attention, skip-layer-norm and GELU kernels; int8
 * linear layers on request) that {@link dev.rerankers.transformers.graph.GraphSession} runs on
 * DJL's OnnxRuntime engine. {@link dev.rerankers.transformers.graph.GraphCache} keeps graphs
 * beside their checkpoint, keyed by its hash and the library version; {@link
 * dev.rerankers.transformers.graph.GraphRuntime} holds the {@code runtime}/{@code quantize}
 * options and the choice between eager and graph. The protobuf is written with protobuf-java's
 * {@code CodedOutputStream} and onnx.proto's field numbers (no generated classes).
 *
 * <p>Layering (enforced by {@code LayeringTest}): uses {@code nn} and {@code checkpoint}, never
 * {@code models}; serves {@code internal}, the provider and the colbert module.
 *
 * <p><b>Not API.</b> Public only so that the other backend modules can record their encoders; it
 * may change in any release.
 */
package dev.rerankers.transformers.graph;
