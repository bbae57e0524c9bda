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
 * 10–50 documents to {@code POST /rerank} over loopback HTTP, batching on (with one batch worker,
 * and with one per core) vs off, alternating rounds; requests/s, pairs/s, p50/p95/p99 latency, and the mean scoring call. A second part times
 * the server's own overhead at one client: the same requests in-process, over HTTP with batching
 * off, and over HTTP with batching on (which waits up to {@code maxWait} for company by design),
 * alternating rounds.
 *
 * <pre>
 * rerankers-server/bench.sh [--smoke]        (writes the figures into docs/server.md)
 * java ... ServerBenchmark [--shape=tiny|minilm] [--seconds=N] [--rounds=N] [--workers=1,2] [--max-wait-ms=N]
 *     [--options=batchSize=16] [--overhead-shape=tiny|minilm|none] [--overhead-seconds=N] [--out=FILE]
 * </pre>
 * The models are BERT cross-encoders of real shapes with random weights ({@link BenchModel}).
 * {@code --out} also writes the tables and the goal checks as Markdown.
 */
public final class ServerBenchmark {
  static final int[] CLIENTS = {1, 8, 32};
  static final ObjectMapper JSON = new ObjectMapper();

  private ServerBenchmark() {}

  record Stats(double rps, double pps, double p50, double p95, double p99, double meanCallMs, double requestsPerCall) {}

  /** The requests every client sends, as TEI bodies and as in-process requests. */
  record Workload(List<String> bodies, List<RankRequest> requests, double meanDocs) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new java.util.HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("arguments are --name=value, got " + arg);
      }
      a.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    String shape = a.getOrDefault("shape", "minilm");
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "8"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "2"));
    int cpus = Runtime.getRuntime().availableProcessors();
    // batching-on settings by batch workers: the default (1) and, on a multi-core CPU, one per core
    int[] workerCounts = java.util.Arrays.stream(a.getOrDefault("workers", cpus > 1 ? "1," + cpus : "1").split(","))
        .mapToInt(Integer::parseInt).distinct().toArray();
    int workers = workerCounts[0];
    int maxWaitMs = Integer.parseInt(a.getOrDefault("max-wait-ms", "2"));
    String options = a.containsKey("options") ? "&" + a.get("options") : "";
    String overheadShape = a.getOrDefault("overhead-shape", "tiny");
    int overheadSeconds = Integer.parseInt(a.getOrDefault("overhead-seconds", "5"));
    Path out = a.containsKey("out") ? Path.of(a.get("out")) : null;
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    Workload work = workload();
    StringBuilder md = new StringBuilder();

    String spec = spec(shape, options);
    String setup = String.format(Locale.ROOT, "model: %s cross-encoder (%s, random weights), %d requests of 10-50 documents"
        + " (mean %.1f), 20-80 words each; %d s per round, %d rounds per setting, settings alternating (order rotated"
        + " each round); batching on: batch workers %s, max wait %d ms; batching off: %d requests side by side;"
        + " spec options %s", shape, BenchModel.describe(shape), work.bodies().size(), work.meanDocs(), seconds, rounds,
        java.util.Arrays.toString(workerCounts), maxWaitMs, cpus, spec.substring(spec.indexOf('?')));
    System.out.println(setup);
    System.out.printf(Locale.ROOT, "load average before: %s; CPUs: %d; Java %s%n", loadAverage(), cpus, Runtime.version());
    md.append(setup).append(".\n\n");

    String header = "| clients | batching | requests/s | pairs/s | p50 ms | p95 ms | p99 ms | mean scoring call ms | requests per call |\n"
        + "|---|---|---|---|---|---|---|---|---|\n";
    System.out.println();
    System.out.print(header);
    md.append(header);
    // settings: 0 = off, 1.. = on with workerCounts[i-1] workers
    int settings = workerCounts.length + 1;
    Map<Integer, Stats> at32 = new java.util.HashMap<>();
    for (int clients : CLIENTS) {
      List<List<Stats>> bySetting = new ArrayList<>();
      for (int m = 0; m < settings; m++) {
        bySetting.add(new ArrayList<>());
      }
      for (int round = 0; round < rounds; round++) {
        for (int k = 0; k < settings; k++) {
          int m = (k + round) % settings; // rotate the order each round
          if (clients == 1 && m > 1) {
            continue; // one client never fills more than one worker
          }
          bySetting.get(m).add(m == 0
              ? serve(spec, work.bodies(), clients, false, 1, maxWaitMs, seconds)
              : serve(spec, work.bodies(), clients, true, workerCounts[m - 1], maxWaitMs, seconds));
        }
      }
      for (int m = 1; m <= settings; m++) {
        int setting = m % settings; // the on settings first, then off
        if (bySetting.get(setting).isEmpty()) {
          continue;
        }
        Stats s = mean(bySetting.get(setting));
        String name = setting == 0 ? "off" : "on, " + workerCounts[setting - 1] + " worker" + (workerCounts[setting - 1] > 1 ? "s" : "");
        String row = String.format(Locale.ROOT, "| %d | %s | %.1f | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f |%n", clients,
            name, s.rps(), s.pps(), s.p50(), s.p95(), s.p99(), s.meanCallMs(), s.requestsPerCall());
        System.out.print(row);
        md.append(row);
        if (clients == 32) {
          at32.put(setting, s);
        }
      }
    }
    StringBuilder goals = new StringBuilder("\nAt 32 clients (goals: batching ≥ 2× the pairs/s of no batching; p99 under"
        + " max wait + one scoring call):\n");
    for (int m = 1; m < settings; m++) {
      Stats on = at32.get(m);
      goals.append(String.format(Locale.ROOT, "- batching on, %d worker(s): %.2f× the pairs/s of no batching;"
          + " p99 %.1f ms vs max wait + one scoring call = %d + %.1f = %.1f ms%n", workerCounts[m - 1],
          on.pps() / at32.get(0).pps(), on.p99(), maxWaitMs, on.meanCallMs(), maxWaitMs + on.meanCallMs()));
    }
    System.out.print(goals);
    md.append(goals);

    if (!overheadShape.equals("none")) {
      String oSpec = spec(overheadShape, options);
      String oHeader = String.format(Locale.ROOT, "%nServer overhead at 1 client, %s cross-encoder, %d s per round,"
          + " %d rounds alternating (p50 / p99 ms):%n%n| setting | p50 ms | p99 ms | p50 over in-process ms |%n|---|---|---|---|%n",
          overheadShape, overheadSeconds, rounds);
      System.out.print(oHeader);
      md.append(oHeader);
      List<List<double[]>> byMode = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
      for (int round = 0; round < rounds; round++) {
        for (int k = 0; k < 3; k++) {
          int m = round % 2 == 0 ? k : 2 - k; // in-process, off, on; then on, off, in-process
          if (m == 0) {
            byMode.get(0).add(inProcess(oSpec, work.requests(), overheadSeconds));
          } else {
            Stats s = serve(oSpec, work.bodies(), 1, m == 2, workers, maxWaitMs, overheadSeconds);
            byMode.get(m).add(new double[] {s.p50(), s.p99()});
          }
        }
      }
      String[] names = {"in-process `rankDocuments`", "HTTP, batching off", "HTTP, batching on (max wait " + maxWaitMs + " ms)"};
      double base = Double.NaN;
      for (int m = 0; m < 3; m++) {
        double p50 = byMode.get(m).stream().mapToDouble(v -> v[0]).average().orElse(Double.NaN);
        double p99 = byMode.get(m).stream().mapToDouble(v -> v[1]).average().orElse(Double.NaN);
        if (m == 0) {
          base = p50;
        }
        String row = String.format(Locale.ROOT, "| %s | %.2f | %.2f | %s |%n", names[m], p50, p99,
            m == 0 ? "—" : String.format(Locale.ROOT, "%+.2f", p50 - base));
        System.out.print(row);
        md.append(row);
      }
      md.append("\n(goal: the server adds ≤ 1 ms p50 at one client; batching on adds up to its max wait by design)\n");
    }
    String after = String.format(Locale.ROOT, "%nload average after: %s%n", loadAverage());
    System.out.print(after);
    if (out != null) {
      Files.writeString(out, md.toString());
    }
  }

  static String spec(String shape, String options) throws Exception {
    Path dir = BenchModel.build(Path.of("target/bench/" + shape + "-cross-encoder"), shape);
    return "cross-encoder:" + dir.toAbsolutePath() + "?device=cpu" + options;
  }

  static Workload workload() throws Exception {
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
    return new Workload(bodies, requests, requests.stream().mapToInt(r -> r.documents().size()).average().orElse(0));
  }

  /** p50 and p99 of the requests ranked in-process, one at a time, for {@code seconds} after a warm-up. */
  static double[] inProcess(String spec, List<RankRequest> requests, int seconds) throws Exception {
    // on a thread of its own, as the server's workers and any application thread: libtorch calls
    // made on the JVM's main thread ran many times slower here (docs/server.md, "Benchmark")
    java.util.concurrent.ExecutorService one = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      return one.submit(() -> inProcessHere(spec, requests, seconds)).get();
    } finally {
      one.shutdown();
    }
  }

  static double[] inProcessHere(String spec, List<RankRequest> requests, int seconds) {
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
      return new double[] {percentile(lat, 50), percentile(lat, 99)};
    }
  }

  static Stats serve(String spec, List<String> bodies, int clients, boolean batching, int workers, int maxWaitMs,
      int seconds) throws Exception {
    try (RerankServer server = RerankServer.builder().host("127.0.0.1").port(0).model("m", spec)
        .batching(batching).batchWorkers(workers).maxWait(Duration.ofMillis(maxWaitMs)).queueCapacity(1024).start()) {
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
