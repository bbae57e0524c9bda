package dev.rerankers.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An API key never shows in toString, exception messages or logs, even when the provider echoes it. */
class SecretLeakTest {
  private static final String KEY = ProviderCase.KEY;
  private static final String TAIL = KEY.substring(KEY.length() - 8);

  private MockWebServer server;
  private final List<String> logLines = new ArrayList<>();
  private final Handler capture = new Handler() {
    private final SimpleFormatter f = new SimpleFormatter();

    @Override
    public void publish(LogRecord record) {
      synchronized (logLines) {
        logLines.add(f.format(record));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private Level previous;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    Logger root = Logger.getLogger("");
    previous = root.getLevel();
    root.setLevel(Level.ALL);
    Logger.getLogger("dev.rerankers").setLevel(Level.ALL);
    root.addHandler(capture);
  }

  @AfterEach
  void stop() {
    Logger root = Logger.getLogger("");
    root.removeHandler(capture);
    root.setLevel(previous);
    Logger.getLogger("dev.rerankers").setLevel(null);
    server.close();
  }

  @Test
  void the_key_never_leaks() {
    ProviderCase cohere = ProviderCase.all().filter(p -> p.name().equals("cohere")).findFirst().orElseThrow();
    String echo = "{\"message\":\"invalid api token '" + KEY + "' (ends with " + TAIL + ")\"}";
    server.enqueue(new MockResponse.Builder().code(500).body(echo).build());     // logged as a retry
    server.enqueue(new MockResponse.Builder().code(401).body(echo).build());     // thrown
    server.enqueue(cohere.ok());
    List<String> texts = new ArrayList<>();
    Reranker.Builder builder = Reranker.builder("rerank-v3.5").type("cohere").apiKey(KEY)
        .url(server.url("/v2/rerank").toString()).option("initialBackoff", "1ms");
    texts.add(builder.toString());
    texts.add(builder.resolve().toString());
    texts.add(builder.resolve().toConfigString());
    try (Reranker ranker = builder.build()) {
      texts.add(ranker.toString());
      texts.add(ranker.info().toString());
      try {
        ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS);
        throw new AssertionError("expected an AuthenticationException");
      } catch (RerankerException e) {
        assertThat(e).isInstanceOf(AuthenticationException.class);
        for (Throwable t = e; t != null; t = t.getCause()) {
          texts.add(t.toString());
        }
      }
      RankedResults ok = ranker.rank(ProviderCase.QUERY, ProviderCase.DOCS);
      texts.add(ok.toString());
    }
    List<String> logged;
    synchronized (logLines) {
      logged = new ArrayList<>(logLines);
    }
    texts.addAll(logged);
    assertThat(logged).as("the retry was logged").anyMatch(l -> l.contains("retrying"));
    assertThat(logged).anyMatch(l -> l.contains("invalid api token"));
    for (String t : texts) {
      assertThat(t).doesNotContain(KEY).doesNotContain(TAIL);
      SecretScan.assertClean("a text shown", t, KEY);
    }
    assertThat(texts).anyMatch(t -> t.contains(dev.rerankers.Credentials.mask(KEY))).anyMatch(t -> t.contains("sk-t…(31 chars)"));
  }
}
