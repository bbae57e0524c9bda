package dev.rerankers.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blob lock excludes other threads of this JVM and other JVMs. */
class CacheLockTest {
  @TempDir Path tmp;

  @Test
  void threads_take_the_lock_in_turn() throws Exception {
    Path lockFile = tmp.resolve(".locks/models--a--b/abc.lock");
    CountDownLatch held = new CountDownLatch(1);
    AtomicLong releasedAt = new AtomicLong();
    Thread holder =
        new Thread(
            () -> {
              try (CacheLock l = CacheLock.acquire(lockFile)) {
                held.countDown();
                Thread.sleep(300);
                releasedAt.set(System.nanoTime());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    holder.start();
    assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
    try (CacheLock l = CacheLock.acquire(lockFile)) {
      assertThat(releasedAt.get()).as("acquired only after the holder released it").isNotZero();
    }
    holder.join();
  }

  @Test
  void another_jvm_holding_the_lock_makes_this_one_wait() throws Exception {
    Path lockFile = tmp.resolve(".locks/models--a--b/def.lock");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), lockFile.toString(), "1500")
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("locked");
      long start = System.nanoTime();
      try (CacheLock l = CacheLock.acquire(lockFile)) {
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("waited " + waitedMs + " ms for the other JVM's lock");
        assertThat(waitedMs).isGreaterThan(500);
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out.readLine()).isEqualTo("released");
      }
    } finally {
      child.destroyForcibly();
    }
  }

  /** Run in a child JVM: holds the lock for the given milliseconds. */
  public static final class LockHolder {
    public static void main(String[] args) throws Exception {
      try (CacheLock l = CacheLock.acquire(Path.of(args[0]))) {
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(Long.parseLong(args[1]));
      }
      System.out.println("released");
    }
  }
}
