package dev.rerankers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Config strings quoted in messages, {@code toString()}s and logs never show a credential option:
 * {@code apiKey}, {@code hfToken}, and any option whose name ends in key, token, secret or
 * password, however malformed the rest of the string is.
 */
class SpecSecretsTest {
  static final String SECRET = "sk-Qw7Er4Ty1Ui8Op5As2Df9Gh6Jk3Lz0Xc";

  private final List<String> logLines = new ArrayList<>();
  private final Handler capture = new Handler() {
    private final SimpleFormatter f = new SimpleFormatter();

    @Override
    public void publish(LogRecord r) {
      synchronized (logLines) {
        logLines.add(f.format(r));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private Level previous;

  @BeforeEach
  void captureLogs() {
    Logger root = Logger.getLogger("");
    previous = root.getLevel();
    root.setLevel(Level.ALL);
    Logger.getLogger("dev.rerankers").setLevel(Level.ALL);
    root.addHandler(capture);
  }

  @AfterEach
  void logsAreClean() {
    Logger root = Logger.getLogger("");
    root.removeHandler(capture);
    root.setLevel(previous);
    Logger.getLogger("dev.rerankers").setLevel(null);
    synchronized (logLines) {
      for (String line : logLines) {
        assertClean("log record", line, SECRET);
      }
    }
  }

  /** Fails when the text holds the secret or 8 consecutive characters of it. */
  static void assertClean(String what, String text, String secret) {
    assertThat(text).as(what).doesNotContain(secret);
    for (int i = 0; i + 8 <= secret.length(); i++) {
      assertThat(text).as(what + " holds characters " + i + ".." + (i + 8) + " of the secret").doesNotContain(secret.substring(i, i + 8));
    }
  }

  static void assertClean(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    assertClean("stack trace", w.toString(), SECRET);
    for (Throwable c = t; c != null; c = c.getCause()) {
      assertClean("message", String.valueOf(c.getMessage()), SECRET);
      assertClean("toString", c.toString(), SECRET);
    }
  }

  /** Runs {@code action}, expecting a ConfigException; returns it. */
  static ConfigException configError(Runnable action) {
    try {
      action.run();
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "cohere:rerank-v3.5?apiKey=" + SECRET + "&&",
      "cohere:rerank-v3.5?apiKey=" + SECRET + "&",
      "cohere:rerank-v3.5?apiKey=" + SECRET + "&apiKey=" + SECRET,
      "cohere:rerank-v3.5?apiKey=" + SECRET + "&batchSize",
      "cohere:rerank-v3.5?apiKey=" + SECRET + "&lang=%ZZ",
      "cohere:rerank-v3.5?apiKey=" + SECRET + "%ZZ",
      "cohere:rerank-v3.5?apiKey=%" + SECRET,
      "cohere:rerank-v3.5?api%ZZKey=" + SECRET,
      "cohere:rerank-v3.5?apiKey=" + SECRET + "&batchSize=many",
      "cohere:rerank-v3.5?apiKey=" + SECRET + "&url=ftp%3A%2F%2Fx",
      "cohere:rerank-v3.5?apiKey=" + SECRET + "&type=cohere",
      "cohere:rerank-v3.5?apiKey=" + SECRET + "&bad key=1",
      "nosuchtype:model?apiKey=" + SECRET,
      ":model?apiKey=" + SECRET,
      "cohere:rerank@?apiKey=" + SECRET,
      "cohere:rerank-v3.5?hfToken=" + SECRET + "&&",
      "cohere:rerank-v3.5?serviceToken=" + SECRET + "&&",
      "cohere:rerank-v3.5?clientSecret=" + SECRET + "&&",
      "cohere:rerank-v3.5?dbPassword=" + SECRET + "&&",
      "cohere:rerank-v3.5?x-api-key=" + SECRET + "&&",
      "cohere:rerank-v3.5?API_KEY=" + SECRET + "&&",
      "cohere:rerank-v3.5?url=https%3A%2F%2Fuser%3A" + SECRET + "%40proxy.example.com&&",
      "cohere:rerank-v3.5?url=https%3A%2F%2Fproxy.example.com%2Frerank%3Fkey%3D" + SECRET + "&&",
      "cohere:rerank-v3.5?url=ftp%3A%2F%2Fuser%3A" + SECRET + "%40proxy.example.com",
      "cohere:rerank-v3.5?apiKey:" + SECRET,
      "cohere:rerank-v3.5?" + SECRET,
      "cohere:rerank-v3.5?apiKey=" + SECRET + "%0A",
      "cohere:apiKey=" + SECRET + "?batchSize=0",
      "cohere&apiKey=" + SECRET + "?batchSize=0",
  })
  void a_malformed_config_string_is_quoted_with_its_credentials_masked(String spec) {
    List<Consumer<String>> ways = List.of(
        Reranker::load,
        Reranker::resolve,
        s -> SpecParser.fromEnvironment("RERANKER", Map.of("RERANKER", s)::get).resolve(),
        s -> {
          Properties p = new Properties();
          p.setProperty("rerankers.spec", s);
          Reranker.fromProperties(p);
        });
    for (Consumer<String> way : ways) {
      ConfigException e = configError(() -> way.accept(spec));
      assertClean(e);
      assertThat(e.getMessage()).as("the message still helps").isNotBlank();
    }
  }

  @Test
  void the_message_still_quotes_the_rest_of_the_string() {
    ConfigException twice = configError(() -> Reranker.resolve("cohere:rerank-v3.5?apiKey=" + SECRET + "&apiKey=x1&batchSize=8"));
    assertThat(twice.getMessage()).contains("given twice").contains("cohere:rerank-v3.5?apiKey=sk-Q").contains("batchSize=8");
    ConfigException stray = configError(() -> Reranker.resolve("cohere:rerank-v3.5?apiKey=" + SECRET + "&&"));
    assertThat(stray.getMessage()).contains("stray '&'").contains("(" + SECRET.length() + " chars)");
    ConfigException bare = configError(() -> Reranker.resolve("cohere:rerank-v3.5?batchSize"));
    assertThat(bare.getMessage()).contains("'batchSize'").contains("key=value");
    ConfigException escape = configError(() -> Reranker.resolve("cohere:rerank-v3.5?lang=%ZZ"));
    assertThat(escape.getMessage()).contains("lang=%ZZ").contains("'%'");
  }

  @Test
  void a_credential_typed_where_the_model_goes_is_masked_in_logs_and_messages() {
    // resolves (the model is just a strange name) and logs the name: masked
    RerankerSpec s = Reranker.resolve("cohere:apiKey=" + SECRET);
    assertClean("toString", s.toString(), SECRET);
    assertClean("toConfigString", s.toConfigString(), SECRET);
    assertClean("builder", Reranker.builder("cohere:apiKey=" + SECRET).toString(), SECRET);
    assertThat(Credentials.maskConfigString("cohere:apiKey=" + SECRET)).isEqualTo("cohere:apiKey=sk-Q…(35 chars)");
    assertThat(Credentials.maskConfigString("x&token=abc&b=1?lang=en")).isEqualTo("x&token=…(3 chars)&b=1?lang=en");
  }

  @Test
  void properties_quote_no_credential() {
    Properties p = new Properties();
    p.setProperty("rerankers.spec", "cohere:rerank-v3.5");
    p.setProperty("rerankers.apiKey", SECRET + "\n");
    ConfigException e = configError(() -> Reranker.fromProperties(p));
    assertClean(e);
    assertThat(e.getMessage()).contains("rerankers.apiKey").contains("line feed");
    p.setProperty("rerankers.apiKey", SECRET);
    p.setProperty("rerankers.hfToken", "\u00a0" + SECRET);
    assertClean(configError(() -> Reranker.fromProperties(p)));
  }

  @Test
  void string_forms_mask_every_credential_option() {
    Reranker.Builder b = Reranker.builder("cohere").apiKey(SECRET)
        .option("hfToken", SECRET.replace('Q', 'R'))
        .option("serviceToken", SECRET)
        .option("clientSecret", SECRET)
        .option("dbPassword", SECRET)
        .option("x-api-key", SECRET)
        .url("https://user:" + SECRET + "@proxy.example.com/v2/rerank?key=" + SECRET + "&region=eu");
    RerankerSpec s = b.resolve();
    for (String text : List.of(b.toString(), s.toString(), s.toConfigString())) {
      assertClean("string form", text, SECRET);
      assertClean("string form", text, SECRET.replace('Q', 'R'));
      assertThat(text).contains("proxy.example.com").contains("region").contains("(" + SECRET.length() + " chars)");
    }
    assertThat(s.toString()).contains("apiKey=sk-Q…(35 chars)").contains("?key=sk-Q…(35 chars)&region=eu");
    assertThat(s.options()).containsEntry("apiKey", SECRET).containsEntry("serviceToken", SECRET);
    assertThat(Credentials.maskOptions(s.options())).doesNotContainValue(SECRET).containsKey("apiKey");
  }

  @Test
  void the_masked_form_shows_a_prefix_and_the_length_only_for_long_secrets() {
    assertThat(Credentials.mask("pc-LmN0pQr5StU7vWx9yZa1bC3dE5fG7hJ9kQ2")).isEqualTo("pc-L…(38 chars)");
    assertThat(Credentials.mask("short-secret")).isEqualTo("…(12 chars)");
    assertThat(Credentials.mask("\u00a0bcdefghijklmnopqrstuvwxyz")).isEqualTo("?bcd…(26 chars)");
    assertThat(Credentials.isCredentialOption("apiKey")).isTrue();
    assertThat(Credentials.isCredentialOption("hfToken")).isTrue();
    assertThat(Credentials.isCredentialOption("X-API-KEY")).isTrue();
    assertThat(Credentials.isCredentialOption("clientSecret")).isTrue();
    assertThat(Credentials.isCredentialOption("password")).isTrue();
    assertThat(Credentials.isCredentialOption("maxTokens")).isFalse();
    assertThat(Credentials.isCredentialOption("batchSize")).isFalse();
  }

  @Test
  void credentials_are_validated_without_being_shown() {
    for (String bad : List.of(SECRET + "\u00a0", SECRET + "\n", " " + SECRET, SECRET + "\t", SECRET.substring(0, 9) + "é" + SECRET.substring(9))) {
      ConfigException e = configError(() -> Reranker.builder("cohere").apiKey(bad));
      assertClean(e);
      assertThat(e.getMessage()).contains("apiKey").contains("(" + bad.length() + " chars)");
      e = configError(() -> Reranker.builder("cohere").option("hfToken", bad));
      assertClean(e);
      assertThat(e.getMessage()).contains("hfToken");
    }
    ConfigException placeholder = configError(() -> Reranker.builder("cohere").apiKey("sk-Q…(35 chars)"));
    assertThat(placeholder.getMessage()).contains("masked");
  }
}
