/**
 * Transformer building blocks on DJL NDArrays, shared by the architectures of this module and of
 * the colbert, llmlayerwise and monovlm modules: {@link dev.rerankers.transformers.nn.Linear},
 * {@link dev.rerankers.transformers.nn.Embedding}, {@link dev.rerankers.transformers.nn.LayerNorm},
 * {@link dev.rerankers.transformers.nn.RmsNorm}, {@link dev.rerankers.transformers.nn.Attention},
 * {@link dev.rerankers.transformers.nn.SelfAttention}, {@link dev.rerankers.transformers.nn.Mlp},
 * {@link dev.rerankers.transformers.nn.Rotary}, {@link
 * dev.rerankers.transformers.nn.HiddenStatePooling}. Blocks only: reading checkpoints lives one
 * layer below, in {@link dev.rerankers.transformers.checkpoint}.
 *
 * <p>The encoder blocks are written once against {@link dev.rerankers.transformers.nn.Ops}, the
 * tensor operations with two implementations: {@link dev.rerankers.transformers.nn.EagerOps}
 * (NDArrays, computed now) and the graph recorder ({@code graph.GraphOps}, ONNX nodes). Each block
 * keeps an NDArray method ({@code forward(NDArray)}) that runs its generic one eagerly, for the
 * decoders, which stay eager.
 *
 * <p>Blocks are named by checkpoint key: each takes {@code (Weights w, String prefix, ...)} and
 * reads {@code w.get(prefix + "weight")}. They hold their weights (owned by the {@code Weights}'
 * manager) and create every intermediate in the manager of their input, so a batch's arrays are
 * freed with the batch's sub-manager. No block keeps per-call state: all are safe to call from
 * several threads.
 *
 * <p>Layering (enforced by {@code LayeringTest}): {@code nn} may use {@code checkpoint}; it never
 * uses {@code models}, {@code graph}, {@code internal} or the provider.
 *
 * <p><b>Not API.</b> Public only so that the other backend modules can compose them; they may
 * change in any release.
 */
package dev.rerankers.transformers.nn;
