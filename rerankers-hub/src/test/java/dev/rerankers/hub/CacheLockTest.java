package dev.rerankers.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blob lock excludes other threads of this JVM and other JVMs. */
@SuppressWarnings("try") // locks held for a block's duration, not used in it
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

  @Test
  void two_jvms_loading_the_same_model_download_the_blob_once() throws Exception {
    try (FakeHub hub = new FakeHub()) {
      byte[] weights = FakeHub.bytes(400_000, 11);
      hub.model("acme/shared", HubClientTest.C1).file("config.json", "{}").lfsFile("model.safetensors", weights);
      hub.throttle(400_000); // about a second for the weights
      Path cache = tmp.resolve("cache");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child =
          new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), DownloadChild.class.getName(), hub.url(), cache.toString())
              .redirectErrorStream(true)
              .start();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null && !line.equals("downloading")) {
          // JVM and logging noise before the child holds the blob's lock
        }
        assertThat(line).isEqualTo("downloading");
        Path st = HubClient.builder().endpoint(hub.url()).cacheDir(cache).progressListener(ProgressListener.none()).build()
            .model("acme/shared").file("model.safetensors");
        assertThat(Files.readAllBytes(st)).isEqualTo(weights);
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
      } finally {
        child.destroyForcibly();
      }
      assertThat(hub.requestsFor("/cdn/")).as("one JVM downloads, the other waits and reuses the blob").hasSize(1);
    }
  }

  /** Run in a child JVM: downloads the weights, printing "downloading" once it holds the blob's lock. */
  public static final class DownloadChild {
    public static void main(String[] args) {
      AtomicBoolean said = new AtomicBoolean();
      HubClient client =
          HubClient.builder()
              .endpoint(args[0])
              .cacheDir(Path.of(args[1]))
              .progressListener(
                  p -> {
                    if (!said.getAndSet(true)) {
                      System.out.println("downloading");
                      System.out.flush();
                    }
                  })
              .build();
      client.model("acme/shared").file("model.safetensors");
      System.out.println("done");
    }
  }

  /** Run in a child JVM: holds the lock for the given milliseconds. */
  public static final class LockHolder {
    @SuppressWarnings("try")
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
