/**
 * Checkpoint I/O and placement, the lowest layer of the transformers backend: {@link
 * dev.rerankers.transformers.checkpoint.Safetensors} (header checks, mapped tensors), {@link
 * dev.rerankers.transformers.checkpoint.TensorInfo} and {@link
 * dev.rerankers.transformers.checkpoint.TensorType} (what a file declares), {@link
 * dev.rerankers.transformers.checkpoint.Weights} (a checkpoint's tensors by Hugging Face key, in the
 * compute dtype), {@link dev.rerankers.transformers.checkpoint.LoraAdapter} (PEFT LoRA merged at
 * load), {@link dev.rerankers.transformers.checkpoint.Placement} (engine, device, dtype) and {@link
 * dev.rerankers.transformers.checkpoint.CpuPasses} (how many rows one CPU forward pass may take).
 *
 * <p>Layering (enforced by {@code LayeringTest}): this package depends on no other package of the
 * module; {@code nn} blocks, {@code models} architectures and the scorers build on it.
 *
 * <p><b>Not API.</b> Public so that the colbert, llmlayerwise and monovlm modules can load their
 * checkpoints with it; may change in any release.
 */
package dev.rerankers.transformers.checkpoint;
