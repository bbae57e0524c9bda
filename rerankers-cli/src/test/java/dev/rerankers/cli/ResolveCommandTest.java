package dev.rerankers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code rerankers resolve}: the facade's decision as one JSON object, nothing loaded. */
class ResolveCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void a_family_name_resolves_to_its_default_in_the_documented_format() {
    CliRun r = CliRun.run("resolve", "cross-encoder");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().strip())
        .isEqualTo("{\"model\": \"mixedbread-ai/mxbai-rerank-base-v1\", \"type\": \"cross-encoder\","
            + " \"provider\": \"transformers\", \"api_provider\": null, \"options\": {}}");
  }

  @Test
  void lang_picks_the_language_default() throws Exception {
    JsonNode fr = JSON.readTree(CliRun.run("resolve", "colbert", "--lang", "fr").out());
    assertThat(fr.get("model").asText()).isEqualTo("bclavie/FraColBERTv2");
    assertThat(fr.get("options").get("lang").asText()).isEqualTo("fr");
    // a language without its own default falls back to "other"
    JsonNode de = JSON.readTree(CliRun.run("resolve", "cross-encoder?lang=de").out());
    assertThat(de.get("model").asText()).isEqualTo("corrius/cross-encoder-mmarco-mMiniLMv2-L12-H384-v1");
    // --lang overrides lang= in the spec
    JsonNode zh = JSON.readTree(CliRun.run("resolve", "cross-encoder?lang=de", "--lang", "zh").out());
    assertThat(zh.get("model").asText()).isEqualTo("BAAI/bge-reranker-base");
  }

  @Test
  void api_rankers_name_their_provider_and_the_key_is_masked() throws Exception {
    CliRun r = CliRun.run("resolve", "cohere?apiKey=sk-secret-123&batchSize=8");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).doesNotContain("sk-secret-123");
    JsonNode n = JSON.readTree(r.out());
    assertThat(n.get("model").asText()).isEqualTo("rerank-english-v3.0");
    assertThat(n.get("type").asText()).isEqualTo("cohere");
    assertThat(n.get("provider").asText()).isEqualTo("api");
    assertThat(n.get("api_provider").asText()).isEqualTo("cohere");
    assertThat(n.get("options").get("apiKey").asText()).isEqualTo("…(13 chars)");
    assertThat(n.get("options").get("batchSize").asText()).isEqualTo("8");
  }

  @Test
  void a_registered_third_party_type_names_its_provider() throws Exception {
    JsonNode n = JSON.readTree(CliRun.run("resolve", "word-overlap:/models/x").out());
    assertThat(n.get("model").asText()).isEqualTo("/models/x");
    assertThat(n.get("type").asText()).isEqualTo("word-overlap");
    assertThat(n.get("provider").asText()).isEqualTo("test-word-overlap");
    assertThat(n.get("api_provider").isNull()).isTrue();
  }

  @Test
  void every_credential_option_is_masked() throws Exception {
    String key = "sk-Qw7Er4Ty1Ui8Op5As2Df9Gh6Jk3Lz0Xc";
    CliRun r = CliRun.run("resolve", "cohere?apiKey=" + key + "&serviceToken=" + key + "&dbPassword=" + key
        + "&url=https%3A%2F%2Fuser%3A" + key + "%40proxy.example.com%2Fv2%2Frerank");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out() + r.err()).doesNotContain(key).doesNotContain(key.substring(10, 20));
    JsonNode options = JSON.readTree(r.out()).get("options");
    assertThat(options.get("apiKey").asText()).isEqualTo("sk-Q…(35 chars)");
    assertThat(options.get("serviceToken").asText()).isEqualTo("sk-Q…(35 chars)");
    assertThat(options.get("dbPassword").asText()).isEqualTo("sk-Q…(35 chars)");
    assertThat(options.get("url").asText()).isEqualTo("https://user…(40 chars)@proxy.example.com/v2/rerank");
  }

  @Test
  void a_malformed_spec_with_a_key_is_quoted_masked() {
    String key = "sk-Qw7Er4Ty1Ui8Op5As2Df9Gh6Jk3Lz0Xc";
    for (String spec : new String[] {
        "cohere:rerank-v3.5?apiKey=" + key + "&&",
        "cohere:rerank-v3.5?apiKey=" + key + "&apiKey=" + key,
        "cohere:rerank-v3.5?apiKey=" + key + "&batchSize",
        "cohere:rerank-v3.5?apiKey=" + key + "%ZZ",
        "nosuchtype:x?hfToken=" + key,
        "cohere:rerank-v3.5?apiKey=" + key + "%C2%A0"}) {
      CliRun r = CliRun.run("resolve", spec);
      assertThat(r.exitCode()).as(spec).isEqualTo(1);
      assertThat(r.err()).as(spec).contains("…(").doesNotContain(key).doesNotContain(key.substring(10, 20));
      assertThat(r.out()).doesNotContain(key);
    }
  }

  @Test
  void a_malformed_spec_is_an_error_quoting_it() {
    CliRun r = CliRun.run("resolve", "cross-encoder?batchSize=many");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("batchSize").contains("many");
  }
}
