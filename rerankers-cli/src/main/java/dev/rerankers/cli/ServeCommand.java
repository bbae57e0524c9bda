package dev.rerankers.cli;

import dev.rerankers.ConfigException;
import dev.rerankers.server.RerankServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rerankers serve}: models as an HTTP service (rerankers-server). Every flag has an
 * environment variable, for containers. Runs until SIGTERM/SIGINT, then drains gracefully.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    header = "Serve models over HTTP: TEI- and Cohere-compatible rerank APIs, batching, metrics.",
    description = {
      "Serves one or more models over HTTP (docs/server.md): POST /rerank (text-embeddings-inference),",
      "POST /v1/rerank and /v2/rerank (Cohere), POST /rerank/{model} (native: ids and metadata kept),",
      "GET /info, /health, /ready, /metrics (Prometheus), /openapi.json.",
      "Every option can also be set by the environment variable in its description.",
      "SIGTERM: /ready turns 503, new requests are refused, accepted ones are answered, then it exits."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-m", "--model"}, paramLabel = "[NAME=]SPEC", split = "\\s+",
      defaultValue = "${env:RERANKERS_MODEL}",
      description = "A model to serve (repeatable): a config string, or NAME=SPEC. The first is the default model"
          + " (TEI requests, requests without model); an unnamed first model is called 'default'."
          + " Env RERANKERS_MODEL (several separated by spaces).")
  List<String> models;

  @Option(names = "--default-model", paramLabel = "NAME", defaultValue = "${env:RERANKERS_DEFAULT_MODEL}",
      description = "The default model's name (else the first). Env RERANKERS_DEFAULT_MODEL.")
  String defaultModel;

  @Option(names = "--host", paramLabel = "ADDR", defaultValue = "${env:RERANKERS_HOST:-0.0.0.0}",
      description = "Address to listen on (default ${DEFAULT-VALUE}). Env RERANKERS_HOST.")
  String host;

  @Option(names = {"-p", "--port"}, paramLabel = "N", defaultValue = "${env:RERANKERS_PORT:-8080}",
      description = "Port (default ${DEFAULT-VALUE}; 0: any free one). Env RERANKERS_PORT.")
  int port;

  @Option(names = "--api-keys-file", paramLabel = "FILE", defaultValue = "${env:RERANKERS_API_KEYS_FILE}",
      description = "A file with the accepted API keys, one per line (e.g. a mounted secret); clients send"
          + " 'Authorization: Bearer KEY'. Env RERANKERS_API_KEYS_FILE, or the keys themselves in RERANKERS_API_KEYS"
          + " (comma-separated). Keys are never given as flags: a command line is visible to every user of the machine.")
  Path apiKeysFile;

  @Option(names = "--max-body-bytes", paramLabel = "N", defaultValue = "${env:RERANKERS_MAX_BODY_BYTES:-10485760}",
      description = "Largest request body (default ${DEFAULT-VALUE}); 413 past it. Env RERANKERS_MAX_BODY_BYTES.")
  long maxBodyBytes;

  @Option(names = "--max-documents", paramLabel = "N", defaultValue = "${env:RERANKERS_MAX_DOCUMENTS:-1000}",
      description = "Most documents per request (default ${DEFAULT-VALUE}); 413 past it. Env RERANKERS_MAX_DOCUMENTS.")
  int maxDocuments;

  @Option(names = "--max-document-chars", paramLabel = "N", defaultValue = "${env:RERANKERS_MAX_DOCUMENT_CHARS:-100000}",
      description = "Longest document or query in characters (default ${DEFAULT-VALUE}); 413 past it."
          + " Env RERANKERS_MAX_DOCUMENT_CHARS.")
  int maxDocumentChars;

  @Option(names = "--queue-capacity", paramLabel = "N", defaultValue = "${env:RERANKERS_QUEUE_CAPACITY:-256}",
      description = "Requests that may wait per model (default ${DEFAULT-VALUE}); 429 with Retry-After past it."
          + " Env RERANKERS_QUEUE_CAPACITY.")
  int queueCapacity;

  @Option(names = "--max-wait-ms", paramLabel = "MS", defaultValue = "${env:RERANKERS_MAX_WAIT_MS:-2}",
      description = "How long a batch waits for more requests (default ${DEFAULT-VALUE}). Env RERANKERS_MAX_WAIT_MS.")
  long maxWaitMs;

  @Option(names = "--max-batch-tokens", paramLabel = "N", defaultValue = "${env:RERANKERS_MAX_BATCH_TOKENS:-32768}",
      description = "Most estimated tokens per batch of requests (default ${DEFAULT-VALUE}). Env RERANKERS_MAX_BATCH_TOKENS.")
  int maxBatchTokens;

  @Option(names = "--batching", paramLabel = "true|false", arity = "1", defaultValue = "${env:RERANKERS_BATCHING:-true}",
      description = "Coalesce concurrent requests for rankers that share forward passes (default ${DEFAULT-VALUE})."
          + " Env RERANKERS_BATCHING.")
  boolean batching;

  @Option(names = "--batch-workers", paramLabel = "N", defaultValue = "${env:RERANKERS_BATCH_WORKERS:-1}",
      description = "Batches scored at once per model when batching (default ${DEFAULT-VALUE}). Env RERANKERS_BATCH_WORKERS.")
  int batchWorkers;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "${env:RERANKERS_CONCURRENCY:-0}",
      description = "Parallel calls per model when not batching (default: the number of CPUs). Env RERANKERS_CONCURRENCY.")
  int concurrency;

  @Option(names = "--request-timeout-ms", paramLabel = "MS", defaultValue = "${env:RERANKERS_REQUEST_TIMEOUT_MS:-30000}",
      description = "Deadline of one request, queueing included (default ${DEFAULT-VALUE}); 504 past it."
          + " Env RERANKERS_REQUEST_TIMEOUT_MS.")
  long requestTimeoutMs;

  @Option(names = "--drain-timeout-ms", paramLabel = "MS", defaultValue = "${env:RERANKERS_DRAIN_TIMEOUT_MS:-30000}",
      description = "How long SIGTERM waits for accepted requests (default ${DEFAULT-VALUE}). Env RERANKERS_DRAIN_TIMEOUT_MS.")
  long drainTimeoutMs;

  @Option(names = "--warmup", paramLabel = "true|false", arity = "1", defaultValue = "${env:RERANKERS_WARMUP:-true}",
      description = "Rank one request per local model before reporting ready (default ${DEFAULT-VALUE}). Env RERANKERS_WARMUP.")
  boolean warmup;

  /** The server these options describe (not started). */
  RerankServer.Builder builder() {
    if (models == null || models.isEmpty() || models.stream().allMatch(String::isBlank)) {
      throw new ConfigException("no model to serve: give --model SPEC (or set RERANKERS_MODEL)");
    }
    RerankServer.Builder b = RerankServer.builder()
        .models(models.stream().filter(m -> !m.isBlank()).toList())
        .host(host).port(port)
        .apiKeys(apiKeys())
        .maxBodyBytes(maxBodyBytes).maxDocuments(maxDocuments).maxDocumentChars(maxDocumentChars)
        .queueCapacity(queueCapacity).maxWait(Duration.ofMillis(maxWaitMs)).maxBatchTokens(maxBatchTokens)
        .batching(batching).batchWorkers(batchWorkers).requestTimeout(Duration.ofMillis(requestTimeoutMs))
        .drainTimeout(Duration.ofMillis(drainTimeoutMs)).warmup(warmup);
    if (concurrency > 0) {
      b.concurrency(concurrency);
    }
    if (defaultModel != null && !defaultModel.isBlank()) {
      b.defaultModel(defaultModel.strip());
    }
    return b;
  }

  private List<String> apiKeys() {
    List<String> keys = new ArrayList<>();
    String env = System.getenv("RERANKERS_API_KEYS");
    if (env != null) {
      for (String k : env.split(",")) {
        if (!k.isBlank()) {
          keys.add(k.strip());
        }
      }
    }
    if (apiKeysFile != null) {
      try {
        for (String line : Files.readAllLines(apiKeysFile, StandardCharsets.UTF_8)) {
          if (!line.isBlank() && !line.startsWith("#")) {
            keys.add(line.strip());
          }
        }
      } catch (IOException e) {
        throw new ConfigException("cannot read the API keys file " + apiKeysFile + ": " + e.getMessage(), e);
      }
    }
    return keys;
  }

  @Override
  public Integer call() {
    RerankServer server = builder().start();
    Thread hook = new Thread(server::stop, "rerankers-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    spec.commandLine().getErr().println("rerankers serve: listening on " + server.uri().getScheme() + "://" + host + ":"
        + server.port() + ", models " + server.models() + "; SIGTERM or Ctrl-C stops it gracefully");
    spec.commandLine().getErr().flush();
    server.awaitStop();
    return 0;
  }
}
