/**
 * A small JSON reader for model files ({@code config.json}, {@code tokenizer_config.json}, Hub
 * listings), JDK only: {@link dev.rerankers.json.JsonFile} reads a file and names it, with the field,
 * what was found and what is allowed, in every error. Used by the backend modules so each reads its
 * files the same way; the API module keeps Jackson for wire formats.
 */
package dev.rerankers.json;
