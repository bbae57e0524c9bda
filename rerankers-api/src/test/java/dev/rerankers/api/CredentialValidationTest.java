package dev.rerankers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ConfigException;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Credentials are checked when the ranker is built, for every model type and every way a key
 * arrives (builder, config string, environment variable): a key that HTTP headers cannot carry, or
 * that has whitespace at its ends, is a {@link ConfigException} showing at most the masked form;
 * nothing of the key leaks through okhttp's own header validation. And a key is never sent in
 * clear text to a host that is not loopback unless {@code allowInsecure=true}.
 */
class CredentialValidationTest {
  /** A well-formed 38-character key. */
  static final String GOOD = "pc-LmN0pQr5StU7vWx9yZa1bC3dE5fG7hJ9kQ2";

  @RegisterExtension final SecretScan.Logs logs = new SecretScan.Logs();

  private MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** How a bad key is bad: the key and a word the message must use. */
  enum Bad {
    TRAILING_NBSP(GOOD + "\u00a0", "U+00A0"),
    TRAILING_NEWLINE(GOOD + "\n", "line feed"),
    TRAILING_CR(GOOD + "\r", "carriage return"),
    INNER_NEWLINE(GOOD.substring(0, 20) + "\n" + GOOD.substring(20), "line feed"),
    TAB(GOOD.substring(0, 10) + "\t" + GOOD.substring(10), "tab"),
    LEADING_SPACE(" " + GOOD, "space"),
    TRAILING_SPACE(GOOD + " ", "space"),
    NON_ASCII(GOOD.substring(0, 30) + "\u00e9" + GOOD.substring(30), "U+00E9"),
    ZERO_WIDTH_SPACE(GOOD + "\u200b", "U+200B"),
    CONTROL(GOOD.substring(0, 5) + "\u0007" + GOOD.substring(5), "U+0007"),
    EMPTY("", "blank");

    final String key;
    final String word;

    Bad(String key, String word) {
      this.key = key;
      this.word = word;
    }
  }

  enum Source {
    BUILDER,
    CONFIG_STRING,
    ENVIRONMENT
  }

  static Stream<Arguments> matrix() {
    List<Arguments> out = new ArrayList<>();
    for (ApiCase c : ApiCase.list()) {
      for (Bad bad : Bad.values()) {
        for (Source s : Source.values()) {
          if (s == Source.ENVIRONMENT && (c.keyEnvVar() == null || bad == Bad.EMPTY)) {
            continue; // the LLM types read no variable for a custom url; an empty variable is an absent one
          }
          out.add(Arguments.of(c, bad, s));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("matrix")
  void a_bad_key_is_a_config_error_that_does_not_show_it(ApiCase c, Bad bad, Source source) {
    logs.watch(bad.key);
    logs.watch(GOOD);
    Throwable thrown = null;
    try {
      switch (source) {
        case BUILDER -> c.builder(server).apiKey(bad.key).build().close();
        case CONFIG_STRING -> c.load(server, bad.key, "").close();
        case ENVIRONMENT -> {
          RerankerSpec spec = c.builder(server).resolve();
          ApiCase.create(new ApiRerankerProvider(Map.of(c.keyEnvVar(), bad.key)::get), spec).close();
        }
      }
    } catch (Throwable t) {
      thrown = t;
    }
    assertThat(thrown).as("building with a bad key").isInstanceOf(ConfigException.class);
    assertThat(thrown.getMessage()).containsIgnoringCase(bad.word);
    if (bad != Bad.EMPTY) {
      assertThat(thrown.getMessage()).contains("(" + bad.key.length() + " chars)");
    }
    SecretScan.assertClean(thrown, bad.key);
    SecretScan.assertClean(thrown, GOOD);
    assertThat(server.getRequestCount()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void a_good_key_is_sent_unchanged(ApiCase c) throws Exception {
    server.enqueue(c.ok());
    try (Reranker r = c.builder(server).apiKey(GOOD).build()) {
      RankedResults results = r.rank(ProviderCase.QUERY, ProviderCase.DOCS);
      assertThat(results.size()).isEqualTo(5);
      assertThat(r.toString()).doesNotContain(GOOD);
    }
    RecordedRequest req = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(req.getHeaders().get(c.authHeader())).isEqualTo(c.authPrefix() + GOOD);
  }

  static Stream<ApiCase> cases() {
    return ApiCase.all();
  }

  // ---- keys over plain http -----------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void a_key_over_plain_http_to_another_host_is_refused_unless_allowed(ApiCase c) {
    String url = "http://rerank.example.com:8080";
    assertThatThrownBy(() -> Reranker.load(c.spec(url, "&apiKey=" + GOOD)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http://rerank.example.com:8080")
        .hasMessageContaining("allowInsecure=true")
        .satisfies(e -> SecretScan.assertClean(e, GOOD));
    try (Reranker r = Reranker.load(c.spec(url, "&apiKey=" + GOOD + "&allowInsecure=true"))) {
      assertThat(r.info().details().get("endpoint")).startsWith(url);
    }
    // without a key there is nothing to protect: TEI and local LLM servers without auth are fine
    if (!c.type().equals("cohere") && !c.type().equals("jina") && !c.type().equals("voyage")
        && !c.type().equals("mixedbread.ai") && !c.type().equals("pinecone") && !c.type().equals("isaacus")) {
      try (Reranker r = Reranker.load(c.spec(url, ""))) {
        assertThat(r.info().details().get("endpoint")).startsWith(url);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void loopback_over_plain_http_is_allowed(ApiCase c) {
    for (String url : List.of("http://localhost:8080", "http://127.0.0.1:8080", "http://127.1.2.3:8080", "http://[::1]:8080")) {
      try (Reranker r = Reranker.load(c.spec(url, "&apiKey=" + GOOD))) {
        assertThat(r.info().details().get("endpoint")).startsWith(url);
      }
    }
  }

  @Test
  void https_to_any_host_is_allowed() {
    try (Reranker r = Reranker.load("cohere:rerank-v3.5?url=" + ProviderCase.enc("https://proxy.example.com/v2/rerank")
        + "&apiKey=" + GOOD)) {
      assertThat(r.info().details().get("endpoint")).isEqualTo("https://proxy.example.com/v2/rerank");
    }
  }

  @Test
  void no_header_value_reaches_okhttp_unchecked() {
    // okhttp's own check would throw an IllegalArgumentException quoting the value
    assertThatThrownBy(() -> Reranker.load("pinecone:bge-reranker-v2-m3?url=" + ProviderCase.enc(server.url("/rerank").toString())
        + "&apiKey=" + GOOD + "&apiVersion=2025%0A-10"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("apiVersion")
        .satisfies(e -> SecretScan.assertClean(e, GOOD));
  }

  @Test
  void allow_insecure_must_be_a_boolean() {
    assertThatThrownBy(() -> Reranker.load("cohere:rerank-v3.5?url=http%3A%2F%2Fx.example.com&apiKey=" + GOOD
        + "&allowInsecure=maybe"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("allowInsecure");
  }
}
