package dev.rerankers.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ConfigException;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerSpec;
import dev.rerankers.api.ApiOptions;
import dev.rerankers.spi.Backoff;
import dev.rerankers.spi.CommonOptions;
import dev.rerankers.spi.Option;
import dev.rerankers.spi.OptionValues;
import dev.rerankers.spi.Scorer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The small pieces: durations, back-off, Retry-After, token estimates, windows, parsing, endpoints, keys. */
class SmallPartsTest {

  @Test
  void durations() {
    assertThat(Durations.parse("k", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("k", "10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("k", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("k", "PT1.5S")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("k", "1.5")).isEqualTo(Duration.ofMillis(1500));
    assertThatThrownBy(() -> Durations.parse("timeout", "soon")).isInstanceOf(ConfigException.class).hasMessageContaining("timeout");
    assertThatThrownBy(() -> Durations.parse("timeout", "-1s")).isInstanceOf(ConfigException.class);
  }

  @RepeatedTest(5)
  void backoff_doubles_with_jitter_and_is_capped() {
    Backoff p = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
    for (int retry = 1; retry <= 6; retry++) {
      long base = Math.min(1000, 100L << (retry - 1));
      Duration d = p.delay(retry);
      assertThat(d.toMillis()).as("retry %d", retry).isBetween(base / 2, base);
    }
  }

  @Test
  void retry_after_forms() {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    assertThat(Backoff.retryAfter(null, "7", now)).isEqualTo(Duration.ofSeconds(7));
    assertThat(Backoff.retryAfter(null, "0.5", now)).isEqualTo(Duration.ofMillis(500));
    assertThat(Backoff.retryAfter("1500", "7", now)).isEqualTo(Duration.ofMillis(1500));
    assertThat(Backoff.retryAfter(null, "Wed, 01 Jan 2025 00:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Backoff.retryAfter(null, "Tue, 31 Dec 2024 23:00:00 GMT", now)).isEqualTo(Duration.ZERO);
    assertThat(Backoff.retryAfter(null, "whenever", now)).isNull();
    assertThat(Backoff.retryAfter(null, null, now)).isNull();
  }

  @Test
  void token_estimates_and_truncation() {
    assertThat(TokenEstimator.count("")).isZero();
    assertThat(TokenEstimator.count("the cat sat")).isEqualTo(3);
    assertThat(TokenEstimator.count("internationalization")).isEqualTo(5); // 20 letters, 4 per token
    assertThat(TokenEstimator.count("Hello, world!")).isEqualTo(6); // Hello(2) ,(1) world(2) !(1); real BPE: 4
    assertThat(TokenEstimator.count("東京は日本の首都です")).isEqualTo(10);
    String text = "one two three four five six seven eight";
    String cut = TokenEstimator.truncate(text, 4);
    assertThat(cut).isEqualTo("one two three"); // 1 + 1 + 2 ("three" has 5 letters) tokens
    assertThat(TokenEstimator.truncate("internationalization", 2)).isEqualTo("internat"); // no word boundary: cut mid-word
    assertThat(TokenEstimator.count(cut)).isLessThanOrEqualTo(4);
    assertThat(TokenEstimator.truncate(text, 100)).isSameAs(text);
    assertThat(TokenEstimator.truncate("東京は日本の首都です", 3)).isEqualTo("東京は");
    // over-counts rather than under-counts typical English: ~4.3 chars per real BPE token
    String english = "Washington, D.C. is the capital of the United States. It is a federal district.";
    assertThat(TokenEstimator.count(english)).isBetween(17, 30);
  }

  @Test
  void sliding_windows_match_rank_llm() {
    assertThat(SlidingWindow.windows(5, 20, 10)).containsExactly(new int[] {0, 5});
    assertThat(SlidingWindow.windows(20, 20, 10)).containsExactly(new int[] {0, 20});
    assertThat(SlidingWindow.windows(45, 20, 10))
        .containsExactly(new int[] {25, 45}, new int[] {15, 35}, new int[] {5, 25}, new int[] {0, 15});
    List<int[]> hundred = SlidingWindow.windows(100, 20, 10);
    assertThat(hundred).hasSize(9);
    assertThat(hundred.get(0)).containsExactly(80, 100);
    assertThat(hundred.get(8)).containsExactly(0, 20);
    assertThat(SlidingWindow.windows(1, 20, 10)).containsExactly(new int[] {0, 1});
    assertThat(SlidingWindow.windows(0, 20, 10)).isEmpty();
    // every position is covered, for many shapes
    for (int n = 1; n <= 120; n++) {
      for (int[] ws : new int[][] {{20, 10}, {20, 20}, {7, 3}, {2, 1}}) {
        boolean[] covered = new boolean[n];
        for (int[] w : SlidingWindow.windows(n, ws[0], ws[1])) {
          assertThat(w[1] - w[0]).isLessThanOrEqualTo(ws[0]);
          for (int i = w[0]; i < w[1]; i++) {
            covered[i] = true;
          }
        }
        for (boolean c : covered) {
          assertThat(c).isTrue();
        }
      }
    }
  }

  @Test
  void permutation_parsing() {
    assertThat(PermutationParser.parse("[3] > [1] > [3] > [9]", 5)).containsExactly(2, 0, 1, 3, 4);
    assertThat(PermutationParser.parse("The ranking of the 4 passages is: [2] > [4] > [1] > [3].", 4)).containsExactly(1, 3, 0, 2);
    assertThat(PermutationParser.parse("2 > 3 > 1", 3)).containsExactly(1, 2, 0);
    assertThat(PermutationParser.parse("［２］ > ［１］", 2)).containsExactly(1, 0);
    assertThat(PermutationParser.parse("<think>[1] is bad, [2] good</think>\n[2] > [1]", 2)).containsExactly(1, 0);
    assertThat(PermutationParser.parse("[ 2 ] > [0] > [-1] > [99999999999]", 3)).containsExactly(1, 0, 2);
    assertThat(PermutationParser.parse("", 3)).containsExactly(0, 1, 2);
    assertThat(PermutationParser.parse(null, 2)).containsExactly(0, 1);
    assertThat(PermutationParser.parse("①>③>②", 3)).containsExactly(0, 2, 1);
  }

  @Test
  void endpoints() {
    assertThat(ChatClient.endpoint(null).toString()).isEqualTo("https://api.openai.com/v1/chat/completions");
    assertThat(ChatClient.endpoint("http://localhost:11434/v1").toString()).isEqualTo("http://localhost:11434/v1/chat/completions");
    assertThat(ChatClient.endpoint("http://localhost:11434/v1/").toString()).isEqualTo("http://localhost:11434/v1/chat/completions");
    assertThat(ChatClient.endpoint("http://localhost:8000").toString()).isEqualTo("http://localhost:8000/v1/chat/completions");
    assertThat(ChatClient.endpoint("https://gw.example/openai/v1/chat/completions").toString())
        .isEqualTo("https://gw.example/openai/v1/chat/completions");
    TeiProtocol tei = new TeiProtocol(true, false);
    assertThat(tei.endpoint("http://tei:8080").toString()).isEqualTo("http://tei:8080/rerank");
    assertThat(tei.endpoint("http://tei:8080/").toString()).isEqualTo("http://tei:8080/rerank");
    assertThat(tei.endpoint("http://tei:8080/rerank").toString()).isEqualTo("http://tei:8080/rerank");
    assertThatThrownBy(() -> tei.endpoint(null)).isInstanceOf(ConfigException.class).hasMessageContaining("url");
    assertThat(RerankApis.cohere(null, null).details().get("apiVersion")).isEqualTo("v2");
    assertThat(RerankApis.cohere(null, "https://proxy/cohere/v1/rerank").details().get("apiVersion")).isEqualTo("v1");
    assertThat(RerankApis.cohere(ApiOptions.COHERE_API_VERSION.parse("V1"), null).endpoint().defaultUrl())
        .isEqualTo("https://api.cohere.com/v1/rerank");
    assertThatThrownBy(() -> ApiOptions.COHERE_API_VERSION.parse("v3")).isInstanceOf(ConfigException.class);
    assertThat(HttpEngine.endpointKey(HttpUrl.get("https://u:p@h.example/x?key=secret"))).isEqualTo("https://h.example/x");
  }

  @Test
  void keys_come_from_the_option_or_the_environment() {
    Map<String, String> env = Map.of("VOYAGE_API_KEY", "env-key-1");
    RerankerSpec voyage = Reranker.resolve("voyage");
    try (var s = ApiScorerFactory.create(voyage, options(voyage), env::get)) {
      assertThat(s.info().model()).isEqualTo("rerank-lite-1");
      assertThat(s.info().details()).containsEntry("endpoint", "https://api.voyageai.com/v1/rerank");
    }
    assertThatThrownBy(() -> create(Reranker.resolve("jina"), k -> null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("JINA_API_KEY")
        .hasMessageContaining("apiKey");
    // TEI needs no key but a url
    assertThatThrownBy(() -> create(Reranker.resolve("text-embeddings-inference"), k -> null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("url");
    // a key in the environment is not sent to a custom chat server
    RerankerSpec local = Reranker.resolve("rankgpt:llama3?url=http://localhost:11434/v1");
    try (var s = ApiScorerFactory.create(local, options(local), k -> "sk-openai")) {
      assertThat(s.info().details().get("endpoint")).isEqualTo("http://localhost:11434/v1/chat/completions");
    }
  }

  /** The spec's options checked against the type's declarations, as core checks them before create. */
  static OptionValues options(RerankerSpec spec) {
    List<Option<?>> declared = new ArrayList<>(CommonOptions.ALL);
    declared.addAll(ApiScorerFactory.options(spec.type()));
    return OptionValues.parse(declared, spec.options(), "type " + spec.type());
  }

  private static Scorer create(RerankerSpec spec, Function<String, String> env) {
    return ApiScorerFactory.create(spec, options(spec), env);
  }

  @Test
  void error_text_is_found_where_providers_put_it() {
    assertThat(text("{\"message\":\"a\"}")).isEqualTo("\"a\"");
    assertThat(text("{\"detail\":\"b\"}")).isEqualTo("\"b\"");
    assertThat(text("{\"error\":{\"message\":\"c\",\"code\":\"x\"}}")).isEqualTo("\"c\"");
    assertThat(text("{\"error\":\"d\",\"error_type\":\"Overloaded\"}")).isEqualTo("\"d\"");
    assertThat(text("{\"detail\":[{\"msg\":\"e\"}]}")).isEqualTo("\"e\"");
    assertThat(text("<html>  bad   gateway </html>")).isEqualTo("\"<html> bad gateway </html>\"");
    assertThat(Failure.ErrorText.of("{\"error\":{\"code\":\"insufficient_quota\"}}".getBytes(StandardCharsets.UTF_8)).code())
        .contains("insufficient_quota");
  }

  private static String text(String body) {
    return Failure.ErrorText.of(body.getBytes(StandardCharsets.UTF_8)).message();
  }

  @Test
  void options_are_validated() {
    assertThatThrownBy(() -> Reranker.load("cohere:rerank-v3.5?apiKey=k&maxRetries=-1")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("maxRetries");
    assertThatThrownBy(() -> Reranker.load("cohere:rerank-v3.5?apiKey=k&timeout=0s")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> Reranker.load("cohere:rerank-v3.5?apiKey=k&window=3")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown option 'window'");
    assertThatThrownBy(() -> Reranker.load("text-embeddings-inference:m?url=http://x&topN=3")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("topN");
    assertThatThrownBy(() -> Reranker.load("cohere:rerank-v3.5?apiKey=k&initialBackoff=2s&maxBackoff=1s"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("maxBackoff");
  }
}
