/**
 * The {@code rerankers} command line ({@link dev.rerankers.cli.RerankersCli}): rank, resolve, eval,
 * models and download. An application: it prints results to standard output.
 */
package dev.rerankers.cli;
