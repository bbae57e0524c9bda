package dev.rerankers.server.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics, through Micrometer: requests by route, model and status with a
 * latency histogram; batches (requests and pairs per batch, time per batch); pairs scored; queue
 * depth per model; errors by type; plus the JVM's memory, GC, threads and CPU.
 */
public final class ServerMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public ServerMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** One answered HTTP request. */
  void request(String route, String model, int status, long nanos) {
    Timer.builder("rerankers.http.requests")
        .description("HTTP requests, by route, model and status")
        .tags("route", route, "model", model, "status", Integer.toString(status))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One error answer, by its type. */
  void error(String type) {
    Counter.builder("rerankers.errors").description("error answers by type").tag("type", type)
        .register(registry).increment();
  }

  /** One scoring call: how many requests and pairs it served and how long it took. */
  void batch(String model, int requests, int pairs, long nanos) {
    DistributionSummary.builder("rerankers.batch.requests").description("requests per scoring call")
        .tag("model", model).publishPercentileHistogram().maximumExpectedValue(1024.0).register(registry).record(requests);
    DistributionSummary.builder("rerankers.batch.pairs").description("(query, document) pairs per scoring call")
        .tag("model", model).publishPercentileHistogram().maximumExpectedValue(65536.0).register(registry).record(pairs);
    Timer.builder("rerankers.batch.duration").description("time of one scoring call")
        .tag("model", model).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    Counter.builder("rerankers.pairs.scored").description("(query, document) pairs scored")
        .tag("model", model).register(registry).increment(pairs);
  }

  /** The number of requests waiting for a model. */
  void queue(String model, Supplier<Number> depth) {
    Gauge.builder("rerankers.queue.depth", depth).description("requests waiting to be scored")
        .tag("model", model).strongReference(true).register(registry);
  }

  /** A gauge that is 1 while the server is ready. */
  void ready(Supplier<Number> ready) {
    Gauge.builder("rerankers.ready", ready).description("1 when every model is loaded and warmed")
        .strongReference(true).register(registry);
  }

  /** The Prometheus text exposition. */
  String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
