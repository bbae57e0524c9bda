package dev.rerankers.server.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.io.Content;

/**
 * Reads a request body without blocking a thread, refusing it (413) as soon as it passes the
 * limit, with or without a {@code Content-Length}: nothing past the limit is buffered.
 */
final class BodyReader implements Runnable {
  private final Content.Source source;
  private final long max;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();

  private BodyReader(Content.Source source, long max) {
    this.source = source;
    this.max = max;
  }

  static CompletableFuture<byte[]> read(Content.Source source, long max) {
    BodyReader r = new BodyReader(source, max);
    r.run();
    return r.result;
  }

  @Override
  public void run() {
    while (true) {
      Content.Chunk chunk = source.read();
      if (chunk == null) {
        source.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        result.completeExceptionally(chunk.getFailure());
        return;
      }
      try {
        ByteBuffer b = chunk.getByteBuffer();
        if (out.size() + (long) b.remaining() > max) {
          result.completeExceptionally(HttpError.tooLarge(
              "the body is larger than this server takes: at most " + max + " bytes"));
          return;
        }
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        out.write(bytes, 0, bytes.length);
      } finally {
        chunk.release();
      }
      if (chunk.isLast()) {
        result.complete(out.toByteArray());
        return;
      }
    }
  }
}
