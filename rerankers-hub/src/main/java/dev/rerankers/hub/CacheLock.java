package dev.rerankers.hub;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on one blob of the cache, held across threads and processes: first a lock
 * object shared by this JVM, then an OS file lock on {@code .locks/<repo>/<etag>.lock} (the file
 * huggingface_hub locks for the same blob).
 *
 * <p>The JVM-wide table is deliberate and the only static mutable state in the package: OS file
 * locks belong to the whole process, and {@link FileLock}'s contract says a process should take
 * all locks on one file through one channel, since closing any channel on the file may release the
 * others' locks. So only the thread holding the JVM lock ever opens the lock file. Entries are
 * never removed (one small object per blob ever downloaded by this JVM).
 *
 * <p>Python's {@code filelock} uses {@code flock(2)} while the JDK uses {@code fcntl(2)} record
 * locks, which Linux keeps apart: the lock excludes other JVMs, not a Python process. Cache
 * correctness does not depend on it: every file is written to a temporary name and renamed into
 * place after verification.
 */
final class CacheLock implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.rerankers.hub");
  private static final ConcurrentMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final ReentrantLock jvmLock;
  private final FileChannel channel;
  private final FileLock fileLock;

  private CacheLock(ReentrantLock jvmLock, FileChannel channel, FileLock fileLock) {
    this.jvmLock = jvmLock;
    this.channel = channel;
    this.fileLock = fileLock;
  }

  /**
   * Blocks until this thread holds the lock, logging at INFO every 10 seconds while it waits.
   *
   * @throws IOException when the lock file cannot be created or locked
   * @throws InterruptedException when interrupted while waiting
   */
  static CacheLock acquire(Path lockFile) throws IOException, InterruptedException {
    Path key = lockFile.toAbsolutePath().normalize();
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
    if (jvmLock.isHeldByCurrentThread()) {
      throw new IllegalStateException("lock " + key + " is already held by this thread");
    }
    long start = System.nanoTime();
    long[] nextLog = {start + LOG_EVERY_NANOS};
    while (!jvmLock.tryLock(1, TimeUnit.SECONDS)) {
      logWaiting(key, start, nextLog);
    }
    FileChannel channel = null;
    try {
      Files.createDirectories(key.getParent());
      channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock fileLock;
      while ((fileLock = channel.tryLock()) == null) {
        logWaiting(key, start, nextLog);
        Thread.sleep(100);
      }
      return new CacheLock(jvmLock, channel, fileLock);
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      jvmLock.unlock();
      throw e;
    }
  }

  private static void logWaiting(Path key, long start, long[] nextLog) {
    long now = System.nanoTime();
    long waited = now - start;
    if (now - nextLog[0] >= 0) {
      nextLog[0] = now + LOG_EVERY_NANOS;
      LOG.log(
          Level.INFO,
          "waiting for {0} (another thread or process is downloading the same file), {1} s so far",
          key,
          TimeUnit.NANOSECONDS.toSeconds(waited));
    }
  }

  @Override
  public void close() throws IOException {
    try {
      try {
        fileLock.release();
      } finally {
        channel.close();
      }
    } finally {
      jvmLock.unlock();
    }
  }
}
