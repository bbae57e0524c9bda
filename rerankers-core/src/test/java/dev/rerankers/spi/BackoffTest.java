package dev.rerankers.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesUpToTheCapWithEqualJitter() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
    assertEquals(Duration.ofMillis(100), b.longest(1));
    assertEquals(Duration.ofMillis(400), b.longest(3));
    assertEquals(Duration.ofMillis(1000), b.longest(5));
    assertEquals(Duration.ofMillis(1000), b.longest(Integer.MAX_VALUE));
    for (int i = 0; i < 200; i++) {
      Duration d = b.delay(3);
      assertTrue(d.compareTo(Duration.ofMillis(200)) >= 0 && d.compareTo(Duration.ofMillis(400)) <= 0, d.toString());
    }
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }

  @Test
  void readsRetryAfterInEveryForm() {
    Instant now = Instant.parse("2026-12-02T10:00:00Z");
    assertEquals(Duration.ofMillis(1500), Backoff.retryAfter("1500", "9", now));
    assertEquals(Duration.ofSeconds(9), Backoff.retryAfter(null, " 9 ", now));
    assertEquals(Duration.ofSeconds(30), Backoff.retryAfter(null, "Wed, 02 Dec 2026 10:00:30 GMT", now));
    assertEquals(Duration.ZERO, Backoff.retryAfter(null, "Wed, 02 Dec 2026 09:00:00 GMT", now));
    assertNull(Backoff.retryAfter("x", "soon", now));
    assertNull(Backoff.retryAfter(null, "-1", now));
  }
}
