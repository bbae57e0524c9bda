package dev.rerankers.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CloseGuardTest {

  @Test
  void callsRunUntilClosedThenFailNamingTheResource() {
    CloseGuard guard = new CloseGuard("cross-encoder:org/model");
    assertEquals(42, guard.call(() -> 42));
    guard.close();
    assertTrue(guard.isClosed());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> guard.call(() -> 1));
    assertEquals("cross-encoder:org/model is closed", e.getMessage());
  }

  @Test
  void closeWaitsForTheCallInProgressAndFreesOnce() throws Exception {
    CloseGuard guard = new CloseGuard("m");
    List<String> events = new ArrayList<>();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> call = CompletableFuture.runAsync(() -> guard.call(() -> {
      entered.countDown();
      await(release);
      synchronized (events) {
        events.add("call done");
      }
      return null;
    }));
    assertTrue(entered.await(10, TimeUnit.SECONDS));
    CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> guard.close(() -> {
      synchronized (events) {
        events.add("freed");
      }
    }));
    Thread.sleep(100);
    assertFalse(closing.isDone(), "close must wait for the call in progress");
    release.countDown();
    call.get(10, TimeUnit.SECONDS);
    closing.get(10, TimeUnit.SECONDS);
    guard.close(() -> events.add("freed twice"));
    assertEquals(List.of("call done", "freed"), events);
  }

  @Test
  void closesEveryResourceAndReportsTheFirstFailure() {
    CloseGuard guard = new CloseGuard("m");
    List<String> closed = new ArrayList<>();
    IllegalStateException first = new IllegalStateException("model");
    RuntimeException e = assertThrows(RuntimeException.class, () -> guard.close(
        () -> {
          closed.add("model");
          throw first;
        },
        null,
        () -> {
          closed.add("tokenizer");
          throw new IOException("tokenizer");
        },
        () -> closed.add("cache")));
    assertSame(first, e);
    assertEquals(1, e.getSuppressed().length);
    assertEquals("tokenizer", e.getSuppressed()[0].getMessage());
    assertEquals(List.of("model", "tokenizer", "cache"), closed);
  }

  @Test
  void aCheckedFailureIsWrappedWithTheName() {
    CloseGuard guard = new CloseGuard("t5:x");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> guard.close(() -> {
          throw new IOException("disk");
        }));
    assertEquals("closing t5:x failed: disk", e.getMessage());
    assertTrue(guard.isClosed());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
