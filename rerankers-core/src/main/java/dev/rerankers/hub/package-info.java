/**
 * Model files: local folders and the Hugging Face Hub, with a cache shared with Python's {@code
 * huggingface_hub}.
 */
package dev.rerankers.hub;
