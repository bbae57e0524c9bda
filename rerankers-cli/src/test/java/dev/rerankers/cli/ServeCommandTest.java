package dev.rerankers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code rerankers serve}: flags, environment variables, a real server, SIGTERM. */
class ServeCommandTest {

  @Test
  void help_names_every_environment_variable() {
    CliRun r = CliRun.run("serve", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("RERANKERS_MODEL", "RERANKERS_PORT", "RERANKERS_HOST", "RERANKERS_API_KEYS_FILE",
        "RERANKERS_API_KEYS", "RERANKERS_MAX_BODY_BYTES", "RERANKERS_MAX_DOCUMENTS", "RERANKERS_MAX_DOCUMENT_CHARS",
        "RERANKERS_QUEUE_CAPACITY", "RERANKERS_MAX_WAIT_MS", "RERANKERS_MAX_BATCH_TOKENS", "RERANKERS_BATCHING", "RERANKERS_BATCH_WORKERS",
        "RERANKERS_CONCURRENCY", "RERANKERS_REQUEST_TIMEOUT_MS", "RERANKERS_DRAIN_TIMEOUT_MS", "RERANKERS_WARMUP",
        "RERANKERS_DEFAULT_MODEL");
  }

  @Test
  void without_a_model_it_says_what_to_give() {
    CliRun r = CliRun.run("serve", "--port", "0");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no model to serve: give --model SPEC (or set RERANKERS_MODEL)");
  }

  @Test
  void serves_models_from_the_environment_until_sigterm() throws Exception {
    String key = "cli-serve-key-0123456789abcdef";
    ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(RerankersCli.class, List.of("-Xmx256m"),
        List.of("serve", "--host", "127.0.0.1", "--port", "0")));
    pb.environment().put("RERANKERS_MODEL", "word-overlap:first fast=word-overlap:second");
    pb.environment().put("RERANKERS_API_KEYS", key);
    pb.environment().put("RERANKERS_MAX_DOCUMENTS", "3");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+), models \\{default=concurrent, fast=concurrent\\}");
      int port = -1;
      StringBuilder seen = new StringBuilder();
      while (port < 0) {
        String l = out.readLine();
        if (l == null) {
          break;
        }
        seen.append(l).append('\n');
        Matcher m = listening.matcher(l);
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        }
      }
      assertThat(port).as(seen.toString()).isPositive();
      HttpClient http = HttpClient.newHttpClient();
      URI uri = URI.create("http://127.0.0.1:" + port + "/v2/rerank");
      String body = "{\"model\": \"fast\", \"query\": \"red apple\", \"documents\": [\"a pear\", \"a red apple\"]}";
      HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      assertThat(ok.body()).contains("\"index\":1,\"relevance_score\":1.0");
      HttpResponse<String> noKey = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(noKey.statusCode()).isEqualTo(401);
      String four = "{\"query\": \"q\", \"documents\": [\"a\", \"b\", \"c\", \"d\"]}";
      HttpResponse<String> tooMany = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(four)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(tooMany.statusCode()).isEqualTo(413);

      p.toHandle().destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(143);
      String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(seen + rest).doesNotContain(key);
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

}
