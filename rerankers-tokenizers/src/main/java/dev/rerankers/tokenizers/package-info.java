/**
 * Hugging Face tokenizers for the rerankers backends: a model's {@code tokenizer.json} run by the
 * Rust {@code tokenizers} library (through DJL's binding, never DJL's "Rust" engine), with the
 * settings of {@code tokenizer_config.json} and {@code special_tokens_map.json} applied the way
 * Hugging Face transformers applies them.
 *
 * <pre>{@code
 * try (HfTokenizer tok = HfTokenizer.load(ModelSource.local(folder))) {
 *   List<Encoding> pairs = tok.encodePairs(query, documents);   // longest-first truncation
 *   PaddedBatch batch = tok.pad(pairs);                          // right padding, attention mask
 * }
 * }</pre>
 *
 * <p>This module depends on no deep learning engine, so ONNX Runtime backends can use it without
 * PyTorch.
 */
package dev.rerankers.tokenizers;
