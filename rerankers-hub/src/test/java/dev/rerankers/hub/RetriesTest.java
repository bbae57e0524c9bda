package dev.rerankers.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The Hub's retry waits are core's {@link dev.rerankers.spi.Backoff}: doubled per retry from
 * {@code retryBackoff}, capped at 30 s, jittered between half and all of that; a server's
 * Retry-After replaces them (capped at 60 s); a wait that could outlast the deadline fails at once.
 */
class RetriesTest {
  static final URI U = URI.create("https://hub.example/x");

  static HttpStatusException status(int code, Duration retryAfter) {
    return new HttpStatusException(code, U, U.toString(), null, null, retryAfter);
  }

  @Test
  void the_back_off_doubles_up_to_30_seconds() {
    Retries r = new Retries(5, Duration.ofSeconds(1));
    assertThat(r.longestBackoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(r.longestBackoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(r.longestBackoff(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(r.longestBackoff(6)).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.longestBackoff(60)).isEqualTo(Duration.ofSeconds(30));
    // a first delay above the cap is cut to it
    assertThat(new Retries(5, Duration.ofMinutes(5)).longestBackoff(1)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void the_server_delay_replaces_the_back_off_up_to_60_seconds() {
    assertThat(Retries.serverDelay(status(503, Duration.ofSeconds(7)))).isEqualTo(Duration.ofSeconds(7));
    assertThat(Retries.serverDelay(status(429, Duration.ofHours(1)))).isEqualTo(Duration.ofSeconds(60));
    assertThat(Retries.serverDelay(status(503, null))).isNull();
    assertThat(Retries.serverDelay(new IOException("reset"))).isNull();
  }

  @Test
  void only_transient_failures_are_retried_and_only_max_retries_times() {
    Retries r = new Retries(2, Duration.ZERO);
    assertThat(r.mayRetry(status(503, null), 0)).isTrue();
    assertThat(r.mayRetry(status(503, null), 2)).isFalse();
    assertThat(r.mayRetry(status(404, null), 0)).isFalse();
    assertThat(r.mayRetry(new IOException("connection reset"), 1)).isTrue();
    assertThat(r.mayRetry(new ConnectException("refused"), 0)).isFalse();
  }

  @Test
  void a_wait_that_could_outlast_the_deadline_fails_without_waiting() throws Exception {
    Retries r = new Retries(5, Duration.ofSeconds(10));
    Deadline soon = Deadline.after(Duration.ofSeconds(3), "the test deadline of 3 s");
    long t0 = System.nanoTime();
    // the jittered wait may be as short as 5 s, but the longest (10 s) decides: deterministic
    assertThatThrownBy(() -> r.pause(1, new IOException("reset"), soon))
        .isInstanceOf(HubErrors.DeadlineExceeded.class)
        .hasMessageContaining("the test deadline of 3 s");
    assertThatThrownBy(() -> r.pause(1, status(503, Duration.ofSeconds(4)), soon)).isInstanceOf(HubErrors.DeadlineExceeded.class);
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);

    long t1 = System.nanoTime();
    r.pause(1, status(503, Duration.ofMillis(200)), soon); // the server's short delay fits: waited
    assertThat((System.nanoTime() - t1) / 1_000_000).isBetween(190L, 2000L);
  }
}
