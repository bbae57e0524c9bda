/** Plumbing for the tokenizers module: tokenizer.json checks and patching. Not API; may change at any time. */
package dev.rerankers.tokenizers.internal;
