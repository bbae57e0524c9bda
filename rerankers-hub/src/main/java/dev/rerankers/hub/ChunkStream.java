package dev.rerankers.hub;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read chunk by chunk on the caller's thread, with three guards that {@code
 * HttpRequest.timeout} does not give once the headers are in: the read timeout ({@link #next()}
 * fails when no data arrived for that long), the caller's {@link Deadline}, and the stall floor
 * ({@link Pace}: fewer than {@code minBytesPerSecond} bytes per second over a whole window).
 * Back-pressure: one chunk is requested at a time. One consumer thread only.
 */
final class ChunkStream implements HttpResponse.BodySubscriber<ChunkStream> {
  private static final Object END = new Object();

  /**
   * The stall floor: a transfer that receives fewer than {@code minBytesPerSecond} bytes per
   * second over a whole {@code window} is cut (and resumed, as a transient failure). A floor of 0
   * turns the check off.
   */
  record Pace(long minBytesPerSecond, Duration window) {
    static final Pace NONE = new Pace(0, Duration.ofSeconds(1));

    boolean enabled() {
      return minBytesPerSecond > 0;
    }
  }

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Duration timeout;
  private final Deadline deadline;
  private final Pace pace;
  private Flow.Subscription subscription; // guarded by this
  private boolean cancelled; // guarded by this
  // consumer thread only:
  private boolean finished;
  private boolean started;
  private long lastData;
  private long windowStart;
  private long windowBytes;

  ChunkStream(Duration timeout) {
    this(timeout, Deadline.NONE, Pace.NONE);
  }

  ChunkStream(Duration timeout, Deadline deadline, Pace pace) {
    this.timeout = timeout;
    this.deadline = deadline;
    this.pace = pace;
  }

  @Override
  public synchronized void onSubscribe(Flow.Subscription s) {
    if (cancelled) {
      s.cancel();
      return;
    }
    subscription = s;
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.add(item);
  }

  @Override
  public void onError(Throwable throwable) {
    queue.add(throwable);
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  @Override
  public CompletionStage<ChunkStream> getBody() {
    return CompletableFuture.completedStage(this);
  }

  /**
   * The next buffers of the body, or {@code null} at its end.
   *
   * @throws java.net.http.HttpTimeoutException when no data arrived for the read timeout
   * @throws HubErrors.DeadlineExceeded when the deadline passed
   * @throws HubErrors.Stalled when a whole window went by below the stall floor
   * @throws IOException when the connection failed
   */
  @SuppressWarnings("unchecked")
  List<ByteBuffer> next() throws IOException, InterruptedException {
    if (finished) {
      return null;
    }
    long now = System.nanoTime();
    if (!started) {
      // the clocks start when the body is first read: the wait for the headers had its own timeout
      started = true;
      lastData = now;
      windowStart = now;
    }
    long windowNanos = pace.window().toNanos();
    while (true) {
      if (deadline.remainingNanos() <= 0) {
        throw fail(deadline.exceeded());
      }
      if (pace.enabled() && now - windowStart >= windowNanos) {
        double seconds = (now - windowStart) / 1e9;
        if (windowBytes < pace.minBytesPerSecond() * seconds) {
          throw fail(
              new HubErrors.Stalled(
                  windowBytes
                      + " bytes in the last "
                      + String.format(java.util.Locale.ROOT, "%.1f", seconds)
                      + " s, below the floor of "
                      + pace.minBytesPerSecond()
                      + " bytes/s (minBytesPerSecond, HF_HUB_DOWNLOAD_MIN_RATE) over a stall window of "
                      + pace.window().toMillis()
                      + " ms (stallWindow, HF_HUB_DOWNLOAD_STALL_SECONDS)"));
        }
        windowStart = now;
        windowBytes = 0;
      }
      long readLeft = timeout.toNanos() - (now - lastData);
      if (readLeft <= 0) {
        throw fail(new HttpTimeoutException("no data received for " + timeout.toMillis() + " ms"));
      }
      long wait = Math.min(readLeft, deadline.remainingNanos());
      if (pace.enabled()) {
        wait = Math.min(wait, windowStart + windowNanos - now);
      }
      Object item = queue.poll(Math.max(wait, 1), TimeUnit.NANOSECONDS);
      now = System.nanoTime();
      if (item == null) {
        continue;
      }
      if (item == END) {
        finished = true;
        return null;
      }
      if (item instanceof Throwable) {
        finished = true;
        Throwable t = (Throwable) item;
        throw new IOException(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage(), t);
      }
      List<ByteBuffer> chunk = (List<ByteBuffer>) item;
      for (ByteBuffer b : chunk) {
        windowBytes += b.remaining();
      }
      lastData = now;
      requestMore();
      return chunk;
    }
  }

  private IOException fail(IOException e) {
    finished = true;
    cancel();
    return e;
  }

  /** The whole body, failing beyond {@code max} bytes. */
  byte[] readAll(int max) throws IOException, InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<ByteBuffer> chunk;
    while ((chunk = next()) != null) {
      for (ByteBuffer b : chunk) {
        if (out.size() + b.remaining() > max) {
          cancel();
          throw new HubErrors.Permanent("the answer is more than the " + max + " bytes accepted");
        }
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        out.write(bytes);
      }
    }
    return out.toByteArray();
  }

  /** Up to {@code max} bytes of the body, then the rest is dropped; never throws. */
  byte[] readPrefix(int max) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      List<ByteBuffer> chunk;
      while (out.size() < max && (chunk = next()) != null) {
        for (ByteBuffer b : chunk) {
          byte[] bytes = new byte[Math.min(b.remaining(), max - out.size())];
          b.get(bytes);
          out.write(bytes);
        }
      }
    } catch (IOException e) {
      // keep what arrived
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    cancel();
    return out.toByteArray();
  }

  private synchronized void requestMore() {
    if (subscription != null && !cancelled) {
      subscription.request(1);
    }
  }

  /** Stops the transfer (the connection is closed if the body was not fully read). */
  synchronized void cancel() {
    if (!cancelled) {
      cancelled = true;
      if (subscription != null) {
        subscription.cancel();
      }
    }
  }

  /** Whether the whole body was read. */
  boolean finished() {
    return finished;
  }
}
