/** Plumbing for the tokenizers module: JSON patching, DJL settings. Not API; may change at any time. */
package dev.rerankers.tokenizers.internal;
