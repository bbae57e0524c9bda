/**
 * Encoder architectures composed from the {@link dev.rerankers.transformers.nn} blocks — BERT
 * (and MiniLM, TinyBERT), RoBERTa / XLM-RoBERTa / CamemBERT, ELECTRA, DeBERTa-v2/v3, ModernBERT —
 * and their sequence-classification heads, loaded from Hugging Face checkpoints by key.
 *
 * <p><b>Not API.</b> Public so that the colbert module can reuse the encoders; may change in any
 * release.
 */
package dev.rerankers.transformers.models;
