package dev.rerankers.server.internal;

import java.time.Duration;
import java.util.List;

/**
 * Everything a server was configured with, checked by {@link dev.rerankers.server.RerankServer.Builder}.
 *
 * @param host the address to listen on
 * @param port the port, 0 for any free one
 * @param apiKeys accepted Bearer keys; empty: no authentication
 * @param maxBodyBytes the largest request body
 * @param maxDocuments the most documents in one request
 * @param maxDocumentChars the longest document (and query), in characters
 * @param queueCapacity the most requests waiting per model before new ones get 429
 * @param maxWait how long a batch waits for more requests after its first one arrived
 * @param maxBatchTokens the most (estimated) tokens in one coalesced batch
 * @param batching whether rankers that share forward passes between queries get batches
 * @param batchWorkers batches scored at once per model (batching on)
 * @param concurrency parallel calls per model for rankers that are not batched
 * @param requestTimeout the deadline of one request, queueing included (504 past it)
 * @param drainTimeout how long a stop waits for accepted requests
 * @param warmup whether local models rank one request before the server says ready
 * @param maxThreads Jetty's thread pool size
 */
public record Settings(
    String host,
    int port,
    List<String> apiKeys,
    long maxBodyBytes,
    int maxDocuments,
    int maxDocumentChars,
    int queueCapacity,
    Duration maxWait,
    int maxBatchTokens,
    boolean batching,
    int batchWorkers,
    int concurrency,
    Duration requestTimeout,
    Duration drainTimeout,
    boolean warmup,
    int maxThreads) {

  public Settings {
    apiKeys = List.copyOf(apiKeys);
  }

  @Override
  public String toString() {
    // the keys themselves never leave: only how many there are
    return "Settings[host=" + host + ", port=" + port + ", apiKeys=" + apiKeys.size() + " configured"
        + ", maxBodyBytes=" + maxBodyBytes + ", maxDocuments=" + maxDocuments + ", maxDocumentChars=" + maxDocumentChars
        + ", queueCapacity=" + queueCapacity + ", maxWait=" + maxWait + ", maxBatchTokens=" + maxBatchTokens
        + ", batching=" + batching + ", batchWorkers=" + batchWorkers + ", concurrency=" + concurrency + ", requestTimeout=" + requestTimeout
        + ", drainTimeout=" + drainTimeout + ", warmup=" + warmup + ", maxThreads=" + maxThreads + "]";
  }
}
