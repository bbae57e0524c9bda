package dev.rerankers.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(10), now::get);

  @Test
  void opens_at_the_threshold_and_half_opens_after_the_cooldown() {
    for (int i = 0; i < 2; i++) {
      assertThat(breaker.tryAcquire()).isTrue();
      breaker.onFailure("HTTP 503");
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onFailure("HTTP 503 \"down\"");
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(breaker.lastFailure()).isEqualTo("HTTP 503 \"down\"");
    assertThat(breaker.remainingOpen()).isEqualTo(Duration.ofSeconds(10));

    now.addAndGet(Duration.ofSeconds(9).toNanos());
    assertThat(breaker.tryAcquire()).isFalse();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(breaker.tryAcquire()).as("one trial").isTrue();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(breaker.tryAcquire()).as("only one trial at a time").isFalse();
    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void a_failed_trial_reopens_and_an_abandoned_trial_frees_the_slot() {
    for (int i = 0; i < 3; i++) {
      breaker.tryAcquire();
      breaker.onFailure("x");
    }
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onAbandoned();
    assertThat(breaker.tryAcquire()).as("the abandoned trial's slot is free again").isTrue();
    breaker.onFailure("y");
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
  }

  @Test
  void a_success_resets_the_count_and_zero_disables() {
    breaker.onFailure("a");
    breaker.onFailure("b");
    breaker.onSuccess();
    breaker.onFailure("c");
    breaker.onFailure("d");
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);

    CircuitBreaker off = new CircuitBreaker(0, Duration.ofSeconds(1), now::get);
    for (int i = 0; i < 100; i++) {
      off.onFailure("z");
    }
    assertThat(off.tryAcquire()).isTrue();
  }
}
