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
 * A response body read chunk by chunk on the caller's thread, with a stall timeout: {@link
 * #next()} fails when no data arrived for the read timeout, which {@code HttpRequest.timeout} does
 * not cover once the headers are in. Back-pressure: one chunk is requested at a time. One consumer
 * thread only.
 */
final class ChunkStream implements HttpResponse.BodySubscriber<ChunkStream> {
  private static final Object END = new Object();

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Duration timeout;
  private Flow.Subscription subscription; // guarded by this
  private boolean cancelled; // guarded by this
  private boolean finished; // consumer thread only

  ChunkStream(Duration timeout) {
    this.timeout = timeout;
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
   * @throws IOException when the connection failed or stalled for longer than the read timeout
   */
  @SuppressWarnings("unchecked")
  List<ByteBuffer> next() throws IOException, InterruptedException {
    if (finished) {
      return null;
    }
    Object item = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (item == null) {
      finished = true;
      cancel();
      throw new HttpTimeoutException("no data received for " + timeout.toMillis() + " ms");
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
    requestMore();
    return (List<ByteBuffer>) item;
  }

  /** The whole body, failing beyond {@code max} bytes. */
  byte[] readAll(int max) throws IOException, InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<ByteBuffer> chunk;
    while ((chunk = next()) != null) {
      for (ByteBuffer b : chunk) {
        if (out.size() + b.remaining() > max) {
          cancel();
          throw new IOException("response larger than " + max + " bytes");
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
