package dev.rerankers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerankers.ConfigException;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.Usage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RankGPT, RankLLM and the LLM relevance filter against a mock OpenAI-compatible server: prompts
 * identical to the Python reference code's (golden fixtures made by src/test/python), the sliding
 * window's requests, and parsing of messy replies.
 */
class LlmRankersTest {
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

  static String chatAnswer(String content) {
    ObjectNode root = ProviderCase.MAPPER.createObjectNode();
    root.put("id", "chatcmpl-123").put("object", "chat.completion").put("model", "m");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0).put("finish_reason", "stop");
    choice.putObject("message").put("role", "assistant").put("content", content);
    root.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 10).put("total_tokens", 110);
    return root.toString();
  }

  private String base() {
    return ProviderCase.enc(server.url("/v1").toString());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void rankgpt_sends_the_python_prompt_and_reads_the_order() throws Exception {
    JsonNode golden = ProviderCase.json(ProviderCase.resource("prompts/rankgpt.json"));
    server.enqueue(ProviderCase.jsonResponse(200, chatAnswer("[2] > [1] > [3]")));
    RankedResults r;
    try (Reranker ranker = Reranker.load("rankgpt:gpt-4o-mini?url=" + base() + "&apiKey=" + ProviderCase.enc(ProviderCase.KEY))) {
      r = ranker.rank(golden.get("query").asText(), strings(golden.get("docs")));
    }
    RecordedRequest req = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(req.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
    assertThat(req.getHeaders().get("Authorization")).isEqualTo("Bearer " + ProviderCase.KEY);
    JsonNode body = ProviderCase.json(req.getBody().utf8());
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(body.get("temperature").asDouble()).isEqualTo(0.0);
    assertThat(body.get("messages")).isEqualTo(golden.get("messages"));
    assertThat(r.hasScores()).isFalse();
    assertThat(r.stream().map(Result::id).toList()).containsExactly(1, 0, 2);
    assertThat(r.get(0).score()).isNull();
    assertThat(r.usage().get(Usage.TOKENS)).isEqualTo(110);
    assertThat(r.usage().get(Usage.REQUESTS)).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({"rank_zephyr", "rank_gpt"})
  void rankllm_sends_rank_llm_prompts(String template) throws Exception {
    JsonNode golden = ProviderCase.json(ProviderCase.resource("prompts/rankllm-" + template + ".json"));
    server.enqueue(ProviderCase.jsonResponse(200, chatAnswer("[3] > [2] > [1]")));
    RankedResults r;
    try (Reranker ranker = Reranker.load("rankllm:rank_zephyr?url=" + base() + "&template=" + template)) {
      r = ranker.rank(golden.get("query").asText(), strings(golden.get("docs")));
    }
    RecordedRequest req = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(req.getHeaders().get("Authorization")).as("no key sent to a local server").isNull();
    JsonNode body = ProviderCase.json(req.getBody().utf8());
    assertThat(body.get("model").asText()).isEqualTo("castorini/rank_zephyr_7b_v1_full");
    assertThat(body.get("messages")).isEqualTo(golden.get("messages"));
    assertThat(r.stream().map(Result::id).toList()).containsExactly(2, 1, 0);
  }

  @Test
  void relevance_filter_sends_the_python_prompt_and_scores_one_or_zero() throws Exception {
    JsonNode golden = ProviderCase.json(ProviderCase.resource("prompts/llm-relevance-filter.json"));
    String reply = """
        <document id=0>
        <explanation>About Nevada.</explanation>
        <answer>NOT_RELEVANT</answer>
        </document>
        <document id=1>
        <explanation>Names the capital.</explanation>
        <answer> relevant </answer>
        </document>
        <document id="2">
        <explanation>Gibberish.</explanation>
        <answer>MAYBE</answer>
        </document>""";
    server.enqueue(ProviderCase.jsonResponse(200, chatAnswer(reply)));
    RankedResults r;
    try (Reranker ranker = Reranker.load("llm-relevance-filter:my-model?url=" + base())) {
      r = ranker.rank(golden.get("query").asText(), strings(golden.get("docs")));
    }
    JsonNode body = ProviderCase.json(server.takeRequest(1, TimeUnit.SECONDS).getBody().utf8());
    assertThat(body.get("messages").size()).isEqualTo(1);
    assertThat(body.get("messages").get(0).get("role").asText()).isEqualTo("user");
    assertThat(body.get("messages").get(0).get("content").asText()).isEqualTo(golden.get("prompt").asText());
    // 1 relevant; 2 unparseable -> defaultLabel RELEVANT (as in Python); 0 not relevant. Ties keep input order.
    assertThat(r.stream().map(Result::id).toList()).containsExactly(1, 2, 0);
    assertThat(r.stream().map(Result::score).toList()).containsExactly(1.0, 1.0, 0.0);
  }

  @Test
  void messy_output_is_parsed_robustly() throws Exception {
    server.enqueue(ProviderCase.jsonResponse(200, chatAnswer(
        "<think>maybe [2] first?</think>Sure! Here is the ranking of the 3 passages: [3] > [1] > [3] > [9]. Hope it helps.")));
    try (Reranker ranker = Reranker.load("rankgpt:local-model?url=" + base())) {
      RankedResults r = ranker.rank("q", List.of("a", "b", "c"));
      assertThat(r.stream().map(Result::id).toList()).containsExactly(2, 0, 1);
    }
  }

  @Test
  void a_reply_without_any_ranking_keeps_the_input_order() throws Exception {
    server.enqueue(ProviderCase.jsonResponse(200, chatAnswer("I cannot help with that.")));
    try (Reranker ranker = Reranker.load("rankgpt:local-model?url=" + base())) {
      assertThat(ranker.rank("q", List.of("a", "b", "c")).stream().map(Result::id).toList()).containsExactly(0, 1, 2);
    }
  }

  private static final Pattern PASSAGE = Pattern.compile("^\\[(\\d+)\\] passage (\\d+)$");

  /**
   * The sliding window end to end: a "perfect" model that orders each window by the true relevance
   * written in the passages. Checks the number of requests and window sizes, and that the best
   * {@code step} documents come out on top in order (what the bottom-up window guarantees).
   */
  @ParameterizedTest
  @CsvSource({"5, 1, '5'", "20, 1, '20'", "45, 4, '20,20,20,15'", "100, 9, '20,20,20,20,20,20,20,20,20'"})
  void sliding_window_requests_and_result(int n, int expectedRequests, String expectedSizes) throws Exception {
    ConcurrentLinkedQueue<Integer> sizes = new ConcurrentLinkedQueue<>();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        JsonNode messages = ProviderCase.json(request.getBody().utf8()).get("messages");
        List<int[]> seen = new ArrayList<>(); // [identifier, relevance]
        for (JsonNode m : messages) {
          Matcher mt = PASSAGE.matcher(m.get("content").asText());
          if (m.get("role").asText().equals("user") && mt.matches()) {
            seen.add(new int[] {Integer.parseInt(mt.group(1)), Integer.parseInt(mt.group(2))});
          }
        }
        sizes.add(seen.size());
        seen.sort(Comparator.comparingInt((int[] a) -> -a[1]));
        StringBuilder sb = new StringBuilder();
        for (int[] s : seen) {
          sb.append(sb.length() == 0 ? "" : " > ").append('[').append(s[0]).append(']');
        }
        return ProviderCase.jsonResponse(200, chatAnswer(sb.toString()));
      }
    });
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      docs.add("passage " + ((i * 7 + 3) % n)); // relevance is a permutation of 0..n-1, unlike input order
    }
    RankedResults r;
    try (Reranker ranker = Reranker.load("rankgpt:local-model?url=" + base())) {
      r = ranker.rank("q", docs);
    }
    assertThat(server.getRequestCount()).isEqualTo(expectedRequests);
    assertThat(new ArrayList<>(sizes)).containsExactlyElementsOf(
        java.util.Arrays.stream(expectedSizes.split(",")).map(String::strip).map(Integer::parseInt).toList());
    assertThat(r.size()).isEqualTo(n);
    int top = Math.min(10, n);
    for (int k = 0; k < top; k++) {
      assertThat(r.get(k).text()).isEqualTo("passage " + (n - 1 - k));
    }
    assertThat(r.stream().map(Result::id).distinct().count()).isEqualTo(n);
  }

  @Test
  void an_openai_429_without_credit_is_a_quota_error_not_retried() {
    server.enqueue(ProviderCase.jsonResponse(429,
        "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}"));
    try (Reranker ranker = Reranker.load("rankgpt:gpt-4o?url=" + base() + "&initialBackoff=1ms")) {
      assertThatThrownBy(() -> ranker.rank("q", List.of("a", "b")))
          .isInstanceOf(QuotaExceededException.class)
          .hasMessageContaining("You exceeded your current quota");
    }
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void configuration_errors_name_the_fix() {
    ApiRerankerProvider noEnv = new ApiRerankerProvider(k -> null);
    assertThatThrownBy(() -> ApiCase.create(noEnv, Reranker.resolve("rankgpt")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("OPENAI_API_KEY");
    assertThatThrownBy(() -> ApiCase.create(noEnv, Reranker.resolve("rankllm")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("url");
    assertThatThrownBy(() -> Reranker.load("rankgpt:m?url=" + base() + "&window=10&step=11"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("step");
    assertThatThrownBy(() -> Reranker.load("rankllm:m?url=" + base() + "&template=other"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rank_zephyr");
  }
}
