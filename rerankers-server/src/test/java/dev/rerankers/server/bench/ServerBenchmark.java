package dev.rerankers.server.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerankers.RankRequest;
import dev.rerankers.Reranker;
import dev.rerankers.server.RerankServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark harness (not a test): 1 / 8 / 32 closed-loop clients, each sending one query with
 * 10–50 documents to {@code POST /rerank} over loopback HTTP, batching on vs off, alternating
 * rounds; requests/s, pairs/s, p50/p95/p99 latency, and the mean scoring call. At concurrency 1 it
 * also times the same requests in-process, for the server's own overhead.
 *
 * <pre>
 * rerankers-server/bench.sh [tiny|minilm] [seconds per round] [rounds] [batch workers] [extra spec options]
 * </pre>
 * The model is a BERT cross-encoder of a real shape with random weights ({@link BenchModel}).
 */
public final class ServerBenchmark {
  static final int[] CLIENTS = {1, 8, 32};
  static final ObjectMapper JSON = new ObjectMapper();

  private ServerBenchmark() {}

  record Stats(double rps, double pps, double p50, double p95, double p99, double meanCallMs, double requestsPerCall) {}

  public static void main(String[] args) throws Exception {
    String shape = args.length > 0 ? args[0] : "tiny";
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int workers = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    String options = args.length > 4 ? "&" + args[4] : "";
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    Path dir = BenchModel.build(Path.of("target/bench/" + shape + "-cross-encoder"), shape);
    String spec = "cross-encoder:" + dir.toAbsolutePath() + "?device=cpu" + options;
    List<String> bodies = new ArrayList<>();
    List<RankRequest> requests = new ArrayList<>();
    Random rnd = new Random(11);
    List<String> words = vocabulary();
    for (int i = 0; i < 200; i++) {
      String query = sentence(rnd, words, 6 + rnd.nextInt(6));
      List<String> docs = new ArrayList<>();
      int n = 10 + rnd.nextInt(41);
      for (int d = 0; d < n; d++) {
        docs.add(sentence(rnd, words, 20 + rnd.nextInt(61)));
      }
      bodies.add(JSON.writeValueAsString(Map.of("query", query, "texts", docs, "raw_scores", true)));
      requests.add(RankRequest.ofTexts(query, docs));
    }
    double meanDocs = requests.stream().mapToInt(r -> r.documents().size()).average().orElse(0);
    System.out.printf(Locale.ROOT, "model: %s cross-encoder (random weights), %d requests of 10-50 documents (mean %.1f),"
        + " 20-80 words each; %d s per round, %d rounds per setting, alternating; batch workers %d; spec %s%n",
        shape, bodies.size(), meanDocs, seconds, rounds, workers, spec.substring(spec.indexOf('?')));
    System.out.printf(Locale.ROOT, "load average before: %s; CPUs: %d; Java %s%n", loadAverage(),
        Runtime.getRuntime().availableProcessors(), Runtime.version());

    // in-process baseline: the same requests, one at a time (again after the 1-client rounds)
    List<Double> inProcess = new ArrayList<>();
    inProcess.add(inProcess(spec, requests, seconds));

    System.out.println();
    System.out.println("| clients | batching | requests/s | pairs/s | p50 ms | p95 ms | p99 ms | mean scoring call ms | requests per call |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    double serverP50AtOne = Double.NaN;
    for (int clients : CLIENTS) {
      List<List<Stats>> byMode = List.of(new ArrayList<>(), new ArrayList<>());
      for (int round = 0; round < rounds; round++) {
        for (int m = 0; m < 2; m++) {
          boolean batching = (m == 0) == (round % 2 == 0); // on/off, then off/on
          byMode.get(batching ? 0 : 1).add(run(spec, bodies, clients, batching, workers, seconds));
        }
      }
      for (int m = 0; m < 2; m++) {
        Stats s = mean(byMode.get(m));
        System.out.printf(Locale.ROOT, "| %d | %s | %.1f | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f |%n", clients,
            m == 0 ? "on" : "off", s.rps(), s.pps(), s.p50(), s.p95(), s.p99(), s.meanCallMs(), s.requestsPerCall());
        if (clients == 1 && m == 0) {
          serverP50AtOne = s.p50();
        }
      }
      if (clients == 1) {
        inProcess.add(inProcess(spec, requests, seconds));
      }
    }
    double inProcessP50 = inProcess.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    System.out.printf(Locale.ROOT, "%nserver overhead at 1 client (batching on): p50 %.2f ms over HTTP vs %.2f ms in-process"
        + " (runs: %s) = %+.2f ms%n", serverP50AtOne, inProcessP50, inProcess, serverP50AtOne - inProcessP50);
    System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
  }

  /** p50 of the requests ranked in-process, one at a time, for {@code seconds} after a warm-up. */
  static double inProcess(String spec, List<RankRequest> requests, int seconds) {
    try (Reranker r = Reranker.load(spec)) {
      long warm = System.nanoTime() + 1_000_000_000L;
      for (int i = 0; System.nanoTime() < warm; i++) {
        r.rankDocuments(requests.get(i % requests.size()).query(), requests.get(i % requests.size()).documents());
      }
      List<Double> lat = new ArrayList<>();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      for (int i = 0; System.nanoTime() < end; i++) {
        RankRequest q = requests.get(i % requests.size());
        long t = System.nanoTime();
        r.rankDocuments(q.query(), q.documents());
        lat.add((System.nanoTime() - t) / 1e6);
      }
      return percentile(lat, 50);
    }
  }

  static Stats run(String spec, List<String> bodies, int clients, boolean batching, int workers, int seconds)
      throws Exception {
    try (RerankServer server = RerankServer.builder().host("127.0.0.1").port(0).model("m", spec)
        .batching(batching).batchWorkers(workers).queueCapacity(1024).start()) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI uri = server.uri().resolve("/rerank");
      // warm the connections and the JIT
      client(http, uri, bodies, Math.min(clients, 8), System.nanoTime() + 1_000_000_000L, new ConcurrentLinkedQueue<>(), new AtomicLong());
      Map<String, Double> before = scoring(http, server.uri());
      ConcurrentLinkedQueue<Double> lat = new ConcurrentLinkedQueue<>();
      AtomicLong pairs = new AtomicLong();
      long start = System.nanoTime();
      client(http, uri, bodies, clients, start + seconds * 1_000_000_000L, lat, pairs);
      double elapsed = (System.nanoTime() - start) / 1e9;
      Map<String, Double> after = scoring(http, server.uri());
      List<Double> l = new ArrayList<>(lat);
      double calls = after.get("count") - before.get("count");
      double callSeconds = after.get("sum") - before.get("sum");
      double callRequests = after.get("requests") - before.get("requests");
      return new Stats(l.size() / elapsed, pairs.get() / elapsed, percentile(l, 50), percentile(l, 95), percentile(l, 99),
          calls == 0 ? 0 : 1000 * callSeconds / calls, calls == 0 ? 0 : callRequests / calls);
    }
  }

  /** Closed loop: each client sends its next request as soon as the last one is answered. */
  static void client(HttpClient http, URI uri, List<String> bodies, int clients, long endNanos,
      ConcurrentLinkedQueue<Double> lat, AtomicLong pairs) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      int id = c;
      Thread t = new Thread(() -> {
        try {
          for (int i = id * 7; System.nanoTime() < endNanos; i++) {
            String body = bodies.get(i % bodies.size());
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
              throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
            }
            lat.add((System.nanoTime() - t0) / 1e6);
            pairs.addAndGet(JSON.readTree(body).get("texts").size());
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        } finally {
          done.countDown();
        }
      });
      t.start();
    }
    done.await();
  }

  /** The model's scoring calls so far: count, total seconds, requests served, from /metrics. */
  static Map<String, Double> scoring(HttpClient http, URI base) throws Exception {
    String text = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double count = 0;
    double sum = 0;
    double requests = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("rerankers_batch_duration_seconds_count{model=\"m\"}")) {
        count = value(line);
      } else if (line.startsWith("rerankers_batch_duration_seconds_sum{model=\"m\"}")) {
        sum = value(line);
      } else if (line.startsWith("rerankers_batch_requests_sum{model=\"m\"}")) {
        requests = value(line);
      }
    }
    return Map.of("count", count, "sum", sum, "requests", requests);
  }

  static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  static Stats mean(List<Stats> s) {
    return new Stats(s.stream().mapToDouble(Stats::rps).average().orElse(0), s.stream().mapToDouble(Stats::pps).average().orElse(0),
        s.stream().mapToDouble(Stats::p50).average().orElse(0), s.stream().mapToDouble(Stats::p95).average().orElse(0),
        s.stream().mapToDouble(Stats::p99).average().orElse(0), s.stream().mapToDouble(Stats::meanCallMs).average().orElse(0),
        s.stream().mapToDouble(Stats::requestsPerCall).average().orElse(0));
  }

  static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    int i = (int) Math.ceil(p / 100 * v.length) - 1;
    return v[Math.max(0, Math.min(v.length - 1, i))];
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (Exception e) {
      return "unknown";
    }
  }

  /** Plain English words from the tokenizer's vocabulary, so token counts look like prose. */
  static List<String> vocabulary() throws Exception {
    try (var in = ServerBenchmark.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      var vocab = JSON.readTree(in).get("model").get("vocab");
      List<String> out = new ArrayList<>();
      vocab.fieldNames().forEachRemaining(w -> {
        if (w.matches("[a-z]{3,10}")) {
          out.add(w);
        }
      });
      return out;
    }
  }

  static String sentence(Random rnd, List<String> words, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : " ").append(words.get(rnd.nextInt(words.size())));
    }
    return sb.toString();
  }
}
