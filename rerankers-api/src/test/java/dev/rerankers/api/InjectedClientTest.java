package dev.rerankers.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.ApiException;
import dev.rerankers.Document;
import dev.rerankers.Reranker;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client the user installs with {@link ApiHttpClient#use} is the one the rankers' calls go
 * through (its interceptors, its dispatcher's threads), while each ranker still applies its own
 * rules: the key is attached below the user's interceptors and masked in what they see coming
 * back, redirects to another origin are refused, and closing the ranker leaves the user's client
 * running.
 */
class InjectedClientTest {
  private static final ProviderCase COHERE = ProviderCase.all().filter(p -> p.name().equals("cohere")).findFirst().orElseThrow();

  @RegisterExtension final SecretScan.Logs logs = new SecretScan.Logs();

  private MockWebServer server;
  private ExecutorService userThreads;
  private OkHttpClient userClient;
  /** What the user's interceptor saw: "Authorization header|status|body". */
  private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
  /** The threads it ran on, and the threads the user's dispatcher made. */
  private final ConcurrentLinkedQueue<Thread> ranOn = new ConcurrentLinkedQueue<>();
  private final Set<Thread> userMade = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    userThreads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "user-http");
      t.setDaemon(true);
      userMade.add(t);
      return t;
    });
    userClient = new OkHttpClient.Builder()
        .dispatcher(new Dispatcher(userThreads))
        .addInterceptor(chain -> {
          Response r = chain.proceed(chain.request());
          String body = r.peekBody(1 << 16).string();
          ranOn.add(Thread.currentThread());
          seen.add(chain.request().header("Authorization") + "|" + r.code() + "|" + body);
          return r;
        })
        .build();
    ApiHttpClient.use(userClient);
  }

  @AfterEach
  void stop() {
    ApiHttpClient.useDefault();
    userThreads.shutdownNow();
    server.close();
  }

  @Test
  void calls_go_through_the_installed_client() throws Exception {
    server.enqueue(COHERE.ok());
    server.enqueue(COHERE.ok());
    try (Reranker ranker = COHERE.load(server, "")) {
      assertThat(ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS).size()).isEqualTo(5);
      assertThat(ranker.rankAsync(ProviderCase.QUERY, Document.texts(ProviderCase.DOCS)).get(5, TimeUnit.SECONDS).size())
          .isEqualTo(5);
    }
    assertThat(seen).as("the user's interceptor saw both calls, without the key").hasSize(2)
        .allSatisfy(s -> assertThat(s).startsWith("null|200|"));
    List<Thread> threads = List.copyOf(ranOn);
    assertThat(threads.get(0)).as("rank(): sent from the caller's own thread, no hand-off").isSameAs(Thread.currentThread());
    assertThat(userMade).as("rankAsync(): on the installed dispatcher's threads").contains(threads.get(1));
    RecordedRequest req = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(req.getHeaders().get("Authorization")).as("the key is attached below the user's interceptors")
        .isEqualTo("Bearer " + ProviderCase.KEY);
    assertThat(userThreads.isShutdown()).as("the user's client is theirs: never shut down").isFalse();
    assertThat(Threads.awaitNoApiThreads()).as("no thread of the backend once the ranker is closed").isEmpty();
  }

  @Test
  void the_users_interceptors_see_the_key_masked_in_error_answers() {
    logs.watch(ProviderCase.KEY);
    server.enqueue(ProviderCase.jsonResponse(401, "{\"message\":\"invalid api token " + ProviderCase.KEY + "\"}"));
    ApiException thrown;
    try (Reranker ranker = COHERE.load(server, "")) {
      try {
        ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS);
        throw new AssertionError("a 401 must fail");
      } catch (AuthenticationException e) {
        thrown = e;
      }
    }
    assertThat(seen).hasSize(1);
    String what = seen.peek();
    assertThat(what).contains("|401|").contains("invalid api token");
    SecretScan.assertClean("what the user's interceptor saw", what, ProviderCase.KEY);
    SecretScan.assertClean(thrown, ProviderCase.KEY);
  }

  @Test
  void the_rankers_redirect_rule_holds_whatever_the_installed_client_allows() throws Exception {
    assertThat(userClient.followRedirects()).as("okhttp's default: follow").isTrue();
    try (MockWebServer elsewhere = new MockWebServer()) {
      elsewhere.start();
      server.enqueue(new MockResponse.Builder().code(307).addHeader("Location", elsewhere.url("/v2/rerank")).build());
      try (Reranker ranker = COHERE.load(server, "")) {
        try {
          ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS);
          throw new AssertionError("a cross-origin redirect must be refused");
        } catch (RedirectRefusedException e) {
          assertThat(e.getMessage()).contains("refused");
        }
      }
      assertThat(elsewhere.getRequestCount()).as("nothing sent to the other origin").isZero();
    }
  }
}
