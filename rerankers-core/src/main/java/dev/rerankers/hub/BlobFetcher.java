package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one blob into the cache: into {@code blobs/<etag>.incomplete}, resumed with an HTTP
 * Range request when that file already holds a prefix (after a dropped connection or a killed
 * process), checked against the size the listing promised and against its checksum (SHA-256 for
 * LFS files, the git blob SHA-1 for the others), then renamed to {@code blobs/<etag>}. The caller
 * holds the blob's {@link CacheLock}. Thread-safe (no mutable state of its own).
 */
final class BlobFetcher {
  private static final System.Logger LOG = System.getLogger("dev.rerankers.hub");
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

  private final HubHttp http;
  private final ProgressListener listener;
  private final int maxRetries;
  private final Duration backoff;

  BlobFetcher(HubHttp http, ProgressListener listener, int maxRetries, Duration backoff) {
    this.http = http;
    this.listener = listener;
    this.maxRetries = maxRetries;
    this.backoff = backoff;
  }

  /**
   * What to download and how to check it.
   *
   * @param repoId for progress and messages
   * @param file the path in the repository
   * @param url the {@code resolve} URL, pinned to the commit
   * @param commit the commit the file must come from
   * @param expectedSize the size the listing promised, or -1
   * @param sha256 the expected SHA-256 (LFS files), or null
   * @param gitSha1 the expected git blob id (other files), or null
   */
  record Target(
      String repoId, String file, URI url, String commit, long expectedSize, String sha256, String gitSha1) {}

  /** Fetches the target into {@code incomplete}, verifies it and renames it to {@code blob}. */
  void fetch(Target t, Path incomplete, Path blob) throws IOException, InterruptedException {
    Files.createDirectories(incomplete.getParent());
    Progress progress = new Progress(t, sizeOf(incomplete));
    int failures = 0;
    boolean restarted = false;
    while (true) {
      try {
        long have = sizeOf(incomplete);
        if (t.expectedSize() >= 0 && have > t.expectedSize()) {
          Files.delete(incomplete);
          have = 0;
        }
        Digest digest = Digest.of(t);
        if (t.expectedSize() < 0 || have < t.expectedSize()) {
          transfer(t, incomplete, have, digest, progress);
        }
        long size = sizeOf(incomplete);
        if (t.expectedSize() >= 0 && size != t.expectedSize()) {
          throw new IOException("connection closed after " + size + " of " + t.expectedSize() + " bytes");
        }
        digest.catchUp(incomplete, size);
        String problem = digest.mismatch();
        if (problem != null) {
          Files.deleteIfExists(incomplete);
          if (!restarted) {
            restarted = true;
            LOG.log(Level.WARNING, "{0}: {1} failed its check ({2}); discarded, downloading it again", t.repoId(), t.file(), problem);
            continue;
          }
          throw new ModelLoadException(
              "the download of "
                  + t.file()
                  + " from "
                  + t.repoId()
                  + " failed its integrity check twice ("
                  + problem
                  + "); nothing was cached. The file may be corrupt on the server or altered in transit: try again later");
        }
        RepoCache.moveAtomically(incomplete, blob);
        progress.done(size);
        return;
      } catch (CorruptDownload e) {
        Files.deleteIfExists(incomplete);
        if (!restarted) {
          restarted = true;
          LOG.log(Level.WARNING, "{0}: {1}: {2}; discarded, downloading it again", t.repoId(), t.file(), e.getMessage());
          continue;
        }
        throw new ModelLoadException(
            "refusing " + t.file() + " from " + t.repoId() + ": " + e.getMessage() + "; nothing was cached");
      } catch (HttpStatusException e) {
        if (e.status() == 416 && !restarted) {
          // the partial file does not fit what the server has: start over
          restarted = true;
          Files.deleteIfExists(incomplete);
          continue;
        }
        if (!e.retriable() || failures >= maxRetries) {
          throw e;
        }
        failures++;
        sleep(e.retryAfter().map(d -> d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d).orElse(backoff(failures)));
      } catch (IOException e) {
        if (failures >= maxRetries) {
          throw e;
        }
        failures++;
        LOG.log(
            Level.WARNING,
            "{0}: download of {1} interrupted after {2} bytes ({3}); resuming, attempt {4} of {5}",
            t.repoId(),
            t.file(),
            String.valueOf(sizeOf(incomplete)),
            e.getMessage(),
            String.valueOf(failures + 1),
            String.valueOf(maxRetries + 1));
        sleep(backoff(failures));
      }
    }
  }

  /** One HTTP exchange: appends to {@code incomplete} from {@code have}, or rewrites it when the server restarts. */
  private void transfer(Target t, Path incomplete, long have, Digest digest, Progress progress)
      throws IOException, InterruptedException {
    Map<String, String> headers =
        have > 0 ? Map.of("Accept-Encoding", "identity", "Range", "bytes=" + have + "-") : Map.of("Accept-Encoding", "identity");
    try (HubHttp.Response r = http.send("GET", t.url(), headers, true)) {
      r.firstHeader("X-Repo-Commit")
          .filter(c -> !c.strip().equals(t.commit()))
          .ifPresent(
              c -> {
                throw new ModelLoadException(
                    "the Hub served "
                        + t.file()
                        + " of "
                        + t.repoId()
                        + " from commit "
                        + RepoPaths.printable(c)
                        + " for a request pinned to "
                        + t.commit()
                        + "; refusing the file");
              });
      OptionalLong linkedSize = r.firstLong("X-Linked-Size");
      if (t.expectedSize() >= 0 && linkedSize.isPresent() && linkedSize.getAsLong() != t.expectedSize()) {
        throw new CorruptDownload(
            "the server announces " + linkedSize.getAsLong() + " bytes but the listing promised " + t.expectedSize());
      }
      long offset;
      long total;
      if (r.status() == 206) {
        Matcher m = CONTENT_RANGE.matcher(r.header("Content-Range").orElse("").strip());
        if (!m.matches() || Long.parseLong(m.group(1)) != have) {
          throw new CorruptDownload("the server resumed at a different offset than asked (" + r.header("Content-Range").orElse("none") + ")");
        }
        offset = have;
        total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
      } else if (r.status() == 200) {
        offset = 0;
        OptionalLong length = contentLength(r);
        total = length.isPresent() ? length.getAsLong() : -1;
      } else {
        throw new IOException("unexpected HTTP " + r.status() + " for " + HubHttp.withoutQuery(r.uri()));
      }
      if (t.expectedSize() >= 0 && total >= 0 && total != t.expectedSize()) {
        throw new CorruptDownload("the server sends " + total + " bytes but the listing promised " + t.expectedSize());
      }
      long limit = t.expectedSize() >= 0 ? t.expectedSize() : total;
      if (offset == 0 && have > 0) {
        LOG.log(Level.DEBUG, "{0}: server ignored the Range request for {1}; starting over", t.repoId(), t.file());
      }
      try (FileChannel out =
          FileChannel.open(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        out.truncate(offset);
        out.position(offset);
        digest.reset();
        digest.catchUp(incomplete, offset);
        long written = offset;
        progress.update(written, limit);
        List<ByteBuffer> chunk;
        while ((chunk = r.body().next()) != null) {
          for (ByteBuffer b : chunk) {
            int n = b.remaining();
            if (limit >= 0 && written + n > limit) {
              throw new CorruptDownload("the server sent more than the " + limit + " bytes promised");
            }
            digest.feed(b.duplicate());
            while (b.hasRemaining()) {
              out.write(b);
            }
            written += n;
          }
          progress.update(written, limit);
        }
      }
    }
  }

  private static OptionalLong contentLength(HubHttp.Response r) {
    try {
      return r.header("Content-Length").map(v -> OptionalLong.of(Long.parseLong(v.strip()))).orElse(OptionalLong.empty());
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private Duration backoff(int failures) {
    Duration d = backoff.multipliedBy(1L << Math.min(failures - 1, 10));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  private static void sleep(Duration d) throws InterruptedException {
    if (!d.isZero()) {
      Thread.sleep(d.toMillis());
    }
  }

  private static long sizeOf(Path p) throws IOException {
    return Files.exists(p) ? Files.size(p) : 0;
  }

  /** The download does not match what was promised: discard it and start over once. */
  private static final class CorruptDownload extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptDownload(String message) {
      super(message);
    }
  }

  /** A running checksum of the file's bytes, fed as they arrive and caught up from the disk for resumed prefixes. */
  private static final class Digest {
    private final String algorithm;
    private final String expected;
    private final long size;
    private MessageDigest md;
    private long fed;

    private Digest(String algorithm, String expected, long size) {
      this.algorithm = algorithm;
      this.expected = expected;
      this.size = size;
      reset();
    }

    static Digest of(Target t) {
      if (t.sha256() != null) {
        return new Digest("SHA-256", t.sha256(), t.expectedSize());
      }
      if (t.gitSha1() != null && t.expectedSize() >= 0) {
        return new Digest("SHA-1", t.gitSha1(), t.expectedSize());
      }
      return new Digest(null, null, -1);
    }

    void reset() {
      fed = 0;
      if (algorithm == null) {
        md = null;
        return;
      }
      try {
        md = MessageDigest.getInstance(algorithm);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(algorithm + " is missing from this JDK", e);
      }
      if (algorithm.equals("SHA-1")) {
        // git's blob id: SHA-1 of "blob <size>\0" followed by the content
        md.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
      }
    }

    void feed(ByteBuffer b) {
      if (md != null) {
        fed += b.remaining();
        md.update(b);
      }
    }

    /** Feeds the file's bytes from what was fed so far up to {@code upTo}. */
    void catchUp(Path file, long upTo) throws IOException {
      if (md == null || fed >= upTo) {
        return;
      }
      try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        in.position(fed);
        while (fed < upTo) {
          buf.clear();
          buf.limit((int) Math.min(buf.capacity(), upTo - fed));
          int n = in.read(buf);
          if (n < 0) {
            throw new IOException(file + " is shorter than " + upTo + " bytes");
          }
          buf.flip();
          feed(buf);
        }
      }
    }

    /** Null when the checksum matches (or there is none to check), else what differs. */
    String mismatch() {
      if (md == null) {
        return null;
      }
      String actual = HexFormat.of().formatHex(md.digest());
      return actual.equals(expected)
          ? null
          : (algorithm.equals("SHA-1") ? "git blob id " : "sha256 ") + actual + ", expected " + expected;
    }
  }

  /** Reports progress of one file to the listener, shielding the download from listener failures. */
  private final class Progress {
    private final Target t;
    private final long start = System.nanoTime();
    private final long resumed;
    private boolean listenerFailed;

    Progress(Target t, long resumed) {
      this.t = t;
      this.resumed = t.expectedSize() >= 0 ? Math.min(resumed, t.expectedSize()) : resumed;
    }

    void update(long bytes, long total) {
      report(bytes, total, false);
    }

    void done(long bytes) {
      report(bytes, bytes, true);
    }

    private void report(long bytes, long total, boolean done) {
      if (listenerFailed) {
        return;
      }
      try {
        listener.onProgress(
            new DownloadProgress(
                t.repoId(),
                t.file(),
                bytes,
                total,
                Math.min(resumed, bytes),
                Duration.ofNanos(System.nanoTime() - start),
                done));
      } catch (RuntimeException e) {
        listenerFailed = true;
        LOG.log(Level.WARNING, "progress listener failed; it gets no more updates for " + t.file(), e);
      }
    }
  }
}
