package dev.rerankers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per provider, through the real facade ({@code Reranker.load}): the exact request sent (path,
 * headers, body field by field against the documented shape) and the ranking read from the
 * provider's documented answer, with the caller's ids and metadata kept, usage reported, and top N
 * smaller than the input.
 */
class ProviderContractTest {
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

  static java.util.stream.Stream<ProviderCase> providers() {
    return ProviderCase.all();
  }

  static java.util.stream.Stream<ProviderCase> topNProviders() {
    return ProviderCase.all().filter(ProviderCase::supportsTopN);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void sends_the_documented_request_and_reads_the_documented_answer(ProviderCase p) throws Exception {
    server.enqueue(p.ok());
    List<String> ids = List.of("doc-a", "doc-b", "doc-c", "doc-d", "doc-e");
    List<Map<String, Object>> meta = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", "wiki-" + i);
      meta.add(m);
    }
    RankedResults r;
    try (Reranker ranker = p.load(server, "")) {
      r = ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS, ids, meta);
    }

    RecordedRequest req = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(req.getMethod()).isEqualTo("POST");
    assertThat(req.getUrl().encodedPath()).isEqualTo(p.path());
    assertThat(req.getHeaders().get(p.authHeader())).isEqualTo(p.authPrefix() + ProviderCase.KEY);
    assertThat(req.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(req.getHeaders().get("Accept")).isEqualTo("application/json");
    assertThat(req.getHeaders().get("User-Agent")).startsWith("rerankers-java/");
    if (p.type().equals("pinecone")) {
      assertThat(req.getHeaders().get("X-Pinecone-API-Version")).isEqualTo("2025-10");
      assertThat(req.getHeaders().get("Authorization")).isNull();
    }
    JsonNode sent = ProviderCase.json(req.getBody().utf8());
    JsonNode expected = ProviderCase.json(ProviderCase.resource(p.name() + "/request.json"));
    assertFieldByField(sent, expected);

    // the ranking: the provider's order, the provider's scores, the caller's ids and metadata
    JsonNode answer = ProviderCase.json(ProviderCase.resource(p.name() + "/rerank-ok.json"));
    JsonNode results = p.resultsField() == null ? answer : answer.get(p.resultsField());
    assertThat(r.size()).isEqualTo(5);
    for (int rank = 0; rank < 5; rank++) {
      Result res = r.get(rank);
      int input = ProviderCase.EXPECTED_ORDER.get(rank);
      assertThat(res.rank()).isEqualTo(rank + 1);
      assertThat(res.id()).isEqualTo(ids.get(input));
      assertThat(res.text()).isEqualTo(ProviderCase.DOCS.get(input));
      assertThat(res.metadata()).containsEntry("source", "wiki-" + input);
      double providerScore = results.get(rank).get(p.scoreField()).doubleValue();
      assertThat(res.score()).isCloseTo(providerScore, within(0.0)); // exact: no transformation
    }
    assertThat(r.usage().get(dev.rerankers.Usage.REQUESTS)).isEqualTo(1);
    if (p.usageUnit() != null) {
      assertThat(r.usage().get(p.usageUnit())).isEqualTo(p.usageAmount());
    }
    assertThat(r.answeredBy()).isEqualTo(p.type() + ":" + p.model());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topNProviders")
  void top_n_smaller_than_the_input_ranks_the_rest_last(ProviderCase p) throws Exception {
    server.enqueue(ProviderCase.jsonResponse(200, ProviderCase.resource(p.name() + "/rerank-top3.json")));
    RankedResults r;
    try (Reranker ranker = p.load(server, "&topN=3")) {
      r = ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS);
    }
    JsonNode sent = ProviderCase.json(server.takeRequest(1, TimeUnit.SECONDS).getBody().utf8());
    assertFieldByField(sent, ProviderCase.json(ProviderCase.resource(p.name() + "/request-top3.json")));

    assertThat(r.size()).isEqualTo(5); // never drops a document
    assertThat(r.stream().map(Result::id).toList()).containsExactly(3, 4, 0, 1, 2);
    assertThat(r.get(2).score()).isGreaterThan(0);
    // the two the provider did not return: last, in input order, scored -infinity
    assertThat(r.get(3).score()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(r.get(4).score()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(r.topK(3)).extracting(Result::id).containsExactly(3, 4, 0);
  }

  /** Every field of the expected body is present with the same value, and nothing else is sent. */
  static void assertFieldByField(JsonNode sent, JsonNode expected) {
    List<String> sentFields = new ArrayList<>();
    sent.fieldNames().forEachRemaining(sentFields::add);
    List<String> expectedFields = new ArrayList<>();
    expected.fieldNames().forEachRemaining(expectedFields::add);
    assertThat(sentFields).as("fields sent").containsExactlyInAnyOrderElementsOf(expectedFields);
    for (String f : expectedFields) {
      assertThat(sent.get(f)).as("field '%s'", f).isEqualTo(expected.get(f));
    }
  }
}
