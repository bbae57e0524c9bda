/**
 * Reranking at volume on Apache Spark 4 (Scala 2.13): {@link dev.rerankers.spark.Rerank#scores}
 * over long-format {@code Dataset<Row>}s of query–document pairs, the same as an ML {@link
 * dev.rerankers.spark.RerankTransformer}, and {@link dev.rerankers.spark.RerankJob}, a {@code
 * spark-submit} entry point. One ranker per executor JVM, shared by its task threads. See
 * docs/spark.md.
 */
package dev.rerankers.spark;
