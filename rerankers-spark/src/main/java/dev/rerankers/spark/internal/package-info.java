/** Plumbing of rerankers-spark: the scoring plan, the per-JVM ranker registry, the job's arguments. Not API. */
package dev.rerankers.spark.internal;
