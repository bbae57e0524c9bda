package dev.rerankers.api.bench;

import dev.rerankers.Document;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Load benchmark (a runnable harness, not a test): 200 concurrent {@code rank} calls on one Cohere
 * ranker against a local MockWebServer that answers at once, every result checked. The same
 * requests sent with a bare okhttp client give the baseline; the difference is what the rerankers
 * client adds per call (JSON building and parsing, retry/deadline/breaker bookkeeping, the
 * facade's validation and sorting). Both rankers share the library's one okhttp client; the
 * baseline client has its own pools, sized for 200.
 *
 * <p>Run: {@code mvn -B -q -pl rerankers-api -am verify -DskipTests -Pbench}
 */
public final class ConcurrencyBenchmark {
  private static final int CONCURRENCY = 200;
  private static final int ROUNDS = 5;
  private static final int WARMUP_ROUNDS = 3;
  private static final int SEQUENTIAL_CALLS = 3000;
  private static final String QUERY = "What is the capital of the United States?";

  private ConcurrencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      docs.add("Document number " + i + " about capitals, cities and the federal district of the United States.");
    }
    // The answer: index 9 best ... index 0 worst.
    StringBuilder answer = new StringBuilder("{\"id\":\"bench\",\"results\":[");
    for (int r = 0; r < 10; r++) {
      answer.append(r == 0 ? "" : ",").append("{\"index\":").append(9 - r).append(",\"relevance_score\":")
          .append(String.format(Locale.ROOT, "%.4f", 0.99 - r * 0.05)).append('}');
    }
    answer.append("],\"meta\":{\"api_version\":{\"version\":\"2\"},\"billed_units\":{\"search_units\":1}}}");
    String body = answer.toString();

    try (MockWebServer server = new MockWebServer()) {
      server.setServerSocketFactory(new NoDelayServerSockets());
      server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
        }
      });
      server.start();
      String url = server.url("/v2/rerank").toString();

      // Baseline: a bare okhttp client posting the same JSON and reading the body.
      okhttp3.Dispatcher d = new okhttp3.Dispatcher();
      d.setMaxRequests(CONCURRENCY);
      d.setMaxRequestsPerHost(CONCURRENCY);
      OkHttpClient raw = new OkHttpClient.Builder().dispatcher(d).connectionPool(new ConnectionPool(CONCURRENCY, 5, TimeUnit.MINUTES)).build();
      byte[] requestJson = requestJson(docs);
      Callable<Long> rawCall = () -> {
        long t0 = System.nanoTime();
        Request req = new Request.Builder().url(url).header("Authorization", "Bearer bench-key")
            .post(RequestBody.create(requestJson, MediaType.get("application/json"))).build();
        try (Response resp = raw.newCall(req).execute()) {
          if (resp.body().bytes().length != body.length()) {
            throw new IllegalStateException("short body");
          }
        }
        return System.nanoTime() - t0;
      };

      String spec = "cohere:rerank-v3.5?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8)
          + "&apiKey=bench-key&maxConcurrency=" + CONCURRENCY;
      List<String[]> rows = new ArrayList<>();
      try (Reranker ranker = Reranker.load(spec); Reranker ranker64 = Reranker.load(spec.replace("&maxConcurrency=" + CONCURRENCY, ""))) {
        Callable<Long> rankCall = () -> timedRank(ranker, docs);
        Callable<Long> rank64Call = () -> timedRank(ranker64, docs);

        long[] rawSeq = sequential(rawCall, SEQUENTIAL_CALLS);
        long[] rankSeq = sequential(rankCall, SEQUENTIAL_CALLS);
        long[] rawConc = concurrent(rawCall);
        long[] rankConc = concurrent(rankCall);
        long[] rank64Conc = concurrent(rank64Call);
        long[] asyncConc = concurrentAsync(ranker, docs);

        rows.add(row("okhttp baseline, sequential", rawSeq));
        rows.add(row("rank(), sequential", rankSeq));
        rows.add(row("okhttp baseline, 200 threads", rawConc));
        rows.add(row("rank(), 200 threads, maxConcurrency=200", rankConc));
        rows.add(row("rank(), 200 threads, default maxConcurrency=64", rank64Conc));
        rows.add(row("rankAsync(), 200 in flight, maxConcurrency=200", asyncConc));

        System.out.println();
        System.out.printf(Locale.ROOT, "rerankers-api load benchmark: Cohere v2 protocol, 10 documents per call, local MockWebServer%n");
        System.out.printf(Locale.ROOT, "JVM %s, %d CPUs; concurrent rows: %d rounds of %d simultaneous calls after %d warm-up rounds; all %s results checked%n%n",
            System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), ROUNDS, CONCURRENCY, WARMUP_ROUNDS,
            "rank()");
        System.out.printf(Locale.ROOT, "| %-50s | %6s | %9s | %9s | %9s | %9s |%n", "mode", "calls", "p50 ms", "p95 ms", "p99 ms", "max ms");
        System.out.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%s|%n", "-".repeat(52), "-".repeat(8), "-".repeat(11), "-".repeat(11), "-".repeat(11), "-".repeat(11));
        for (String[] r : rows) {
          System.out.printf(Locale.ROOT, "| %-50s | %6s | %9s | %9s | %9s | %9s |%n", (Object[]) r);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "client overhead per call (rank() minus okhttp baseline): sequential p50 %.3f ms, p95 %.3f ms; "
                + "200 threads p50 %.3f ms, p95 %.3f ms%n",
            ms(pct(rankSeq, 50) - pct(rawSeq, 50)), ms(pct(rankSeq, 95) - pct(rawSeq, 95)),
            ms(pct(rankConc, 50) - pct(rawConc, 50)), ms(pct(rankConc, 95) - pct(rawConc, 95)));
      } finally {
        raw.dispatcher().executorService().shutdown();
        raw.connectionPool().evictAll();
      }
    }
  }

  private static long timedRank(Reranker ranker, List<String> docs) {
    long t0 = System.nanoTime();
    RankedResults r = ranker.rank(QUERY, docs);
    long dt = System.nanoTime() - t0;
    check(r);
    return dt;
  }

  private static void check(RankedResults r) {
    if (r.size() != 10) {
      throw new IllegalStateException("expected 10 results, got " + r.size());
    }
    for (int k = 0; k < 10; k++) {
      Result res = r.get(k);
      if (!res.id().equals(9 - k) || res.rank() != k + 1) {
        throw new IllegalStateException("wrong ranking at " + k + ": " + r);
      }
    }
  }

  private static byte[] requestJson(List<String> docs) {
    StringBuilder sb = new StringBuilder("{\"model\":\"rerank-v3.5\",\"query\":\"" + QUERY + "\",\"documents\":[");
    for (int i = 0; i < docs.size(); i++) {
      sb.append(i == 0 ? "" : ",").append('"').append(docs.get(i)).append('"');
    }
    return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static long[] sequential(Callable<Long> call, int n) throws Exception {
    for (int i = 0; i < n / 4; i++) {
      call.call();
    }
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = call.call();
    }
    return out;
  }

  private static long[] concurrent(Callable<Long> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    try {
      for (int w = 0; w < WARMUP_ROUNDS; w++) {
        round(pool, call);
      }
      long[] all = new long[ROUNDS * CONCURRENCY];
      for (int r = 0; r < ROUNDS; r++) {
        System.arraycopy(round(pool, call), 0, all, r * CONCURRENCY, CONCURRENCY);
      }
      return all;
    } finally {
      pool.shutdown();
    }
  }

  /** One round: all threads start together. */
  private static long[] round(ExecutorService pool, Callable<Long> call) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Long>> fs = new ArrayList<>();
    for (int i = 0; i < CONCURRENCY; i++) {
      fs.add(pool.submit(() -> {
        go.await();
        return call.call();
      }));
    }
    go.countDown();
    long[] out = new long[CONCURRENCY];
    for (int i = 0; i < CONCURRENCY; i++) {
      out[i] = fs.get(i).get(60, TimeUnit.SECONDS);
    }
    return out;
  }

  private static long[] concurrentAsync(Reranker ranker, List<String> docs) throws Exception {
    List<Document> documents = Document.texts(docs);
    long[] all = new long[ROUNDS * CONCURRENCY];
    for (int r = -WARMUP_ROUNDS; r < ROUNDS; r++) {
      long[] times = new long[CONCURRENCY];
      List<CompletableFuture<Void>> fs = new ArrayList<>();
      for (int i = 0; i < CONCURRENCY; i++) {
        int slot = i;
        long t0 = System.nanoTime();
        fs.add(ranker.rankAsync(QUERY, documents).thenAccept(res -> {
          times[slot] = System.nanoTime() - t0;
          check(res);
        }));
      }
      CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      if (r >= 0) {
        System.arraycopy(times, 0, all, r * CONCURRENCY, CONCURRENCY);
      }
    }
    return all;
  }

  private static String[] row(String name, long[] ns) {
    return new String[] {
      name, Integer.toString(ns.length),
      String.format(Locale.ROOT, "%.3f", ms(pct(ns, 50))), String.format(Locale.ROOT, "%.3f", ms(pct(ns, 95))),
      String.format(Locale.ROOT, "%.3f", ms(pct(ns, 99))), String.format(Locale.ROOT, "%.3f", ms(pct(ns, 100)))
    };
  }

  private static long pct(long[] ns, double p) {
    long[] s = ns.clone();
    Arrays.sort(s);
    int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, i))];
  }

  private static double ms(long ns) {
    return ns / 1e6;
  }
}
