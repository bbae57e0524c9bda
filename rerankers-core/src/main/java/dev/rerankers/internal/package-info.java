/**
 * Helpers shared between rerankers modules. Public only because Java packages force it: not API,
 * no compatibility promise.
 */
package dev.rerankers.internal;
