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
 * LFS files, the git blob SHA-1 for the others), then renamed to {@code blobs/<etag>}. Transient
 * failures (see {@link HubErrors#isTransient}) are retried as {@link Retries} says, within the
 * target's deadline; a wrong size or checksum starts the file over once, then fails with
 * {@link HubIntegrityException} leaving nothing behind. The caller holds the blob's {@link
 * CacheLock}. Thread-safe (no mutable state of its own).
 */
final class BlobFetcher {
  private static final System.Logger LOG = System.getLogger("dev.rerankers.hub");
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  private final HubHttp http;
  private final ProgressListener listener;
  private final Retries retries;

  BlobFetcher(HubHttp http, ProgressListener listener, Retries retries) {
    this.http = http;
    this.listener = listener;
    this.retries = retries;
  }

  /**
   * What to download and how to check it; one of {@code sha256} and {@code gitSha1} is set.
   *
   * @param repoId for progress and messages
   * @param file the path in the repository
   * @param url the {@code resolve} URL, pinned to the commit
   * @param commit the commit the file must come from
   * @param expectedSize the size the listing (or HEAD) promised, or -1
   * @param sha256 the expected SHA-256 (LFS files), or null
   * @param gitSha1 the expected git blob id (other files), or null
   * @param deadline when the whole fetch, retries included, must be done
   */
  record Target(
      String repoId,
      String file,
      URI url,
      String commit,
      long expectedSize,
      String sha256,
      String gitSha1,
      Deadline deadline) {
    Target {
      if (sha256 == null && gitSha1 == null) {
        throw new IllegalArgumentException("no checksum for " + file + ": it cannot be verified");
      }
    }
  }

  /**
   * Fetches the target into {@code incomplete}, verifies it and renames it to {@code blob}. On
   * failure, a partial file is kept only when it holds bytes (the next load resumes it).
   */
  void fetch(Target t, Path incomplete, Path blob) throws IOException, InterruptedException {
    try {
      fetchOrFail(t, incomplete, blob);
    } catch (IOException | InterruptedException | RuntimeException e) {
      try {
        if (Files.isRegularFile(incomplete) && Files.size(incomplete) == 0) {
          Files.delete(incomplete);
        }
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private void fetchOrFail(Target t, Path incomplete, Path blob) throws IOException, InterruptedException {
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
        String actual = digest.actual(incomplete, size);
        if (!actual.equalsIgnoreCase(digest.expected)) {
          Files.deleteIfExists(incomplete);
          String problem = digest.name() + " " + actual + ", expected " + digest.expected;
          if (!restarted) {
            restarted = true;
            LOG.log(Level.WARNING, "{0}: {1} failed its check ({2}); discarded, downloading it again", t.repoId(), t.file(), problem);
            continue;
          }
          throw new HubIntegrityException(
              t.file(),
              digest.algorithm(),
              digest.expected,
              actual,
              "refusing "
                  + t.file()
                  + " of '"
                  + t.repoId()
                  + "': the download failed its integrity check twice ("
                  + problem
                  + ", "
                  + size
                  + " bytes); nothing was cached. The file may be corrupt on the server or altered in transit"
                  + " (a proxy or mirror): try again later");
        }
        RerankersCache.moveAtomically(incomplete, blob);
        progress.done(size);
        return;
      } catch (CorruptDownload e) {
        Files.deleteIfExists(incomplete);
        if (!restarted) {
          restarted = true;
          LOG.log(Level.WARNING, "{0}: {1}: {2}; discarded, downloading it again", t.repoId(), t.file(), e.getMessage());
          continue;
        }
        Digest d = Digest.of(t);
        throw new HubIntegrityException(
            t.file(),
            d.algorithm(),
            d.expected,
            e.actual,
            "refusing "
                + t.file()
                + " of '"
                + t.repoId()
                + "': "
                + e.getMessage()
                + " (expected "
                + d.name()
                + " "
                + d.expected
                + (t.expectedSize() >= 0 ? ", " + t.expectedSize() + " bytes" : "")
                + "); tried twice, nothing was cached");
      } catch (HttpStatusException e) {
        if (e.status() == 416 && !restarted) {
          // the partial file does not fit what the server has: start over
          restarted = true;
          Files.deleteIfExists(incomplete);
          continue;
        }
        if (!retries.mayRetry(e, failures)) {
          throw e;
        }
        failures++;
        retries.pause(failures, e, t.deadline());
      } catch (IOException e) {
        if (!retries.mayRetry(e, failures)) {
          throw e;
        }
        failures++;
        LOG.log(
            Level.WARNING,
            "{0}: download of {1} interrupted after {2} bytes ({3}); resuming, attempt {4} of {5}",
            t.repoId(),
            t.file(),
            String.valueOf(sizeOf(incomplete)),
            http.clean(e.getMessage(), 300),
            String.valueOf(failures + 1),
            String.valueOf(retries.maxRetries() + 1));
        retries.pause(failures, e, t.deadline());
      }
    }
  }

  /** One HTTP exchange: appends to {@code incomplete} from {@code have}, or rewrites it when the server restarts. */
  private void transfer(Target t, Path incomplete, long have, Digest digest, Progress progress)
      throws IOException, InterruptedException {
    Map<String, String> headers =
        have > 0 ? Map.of("Accept-Encoding", "identity", "Range", "bytes=" + have + "-") : Map.of("Accept-Encoding", "identity");
    try (HubHttp.Response r = http.send("GET", t.url(), headers, false, t.deadline())) {
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
            "the server announces " + linkedSize.getAsLong() + " bytes but the listing promised " + t.expectedSize(),
            linkedSize.getAsLong() + " bytes");
      }
      long offset;
      long total;
      if (r.status() == 206) {
        Matcher m = CONTENT_RANGE.matcher(r.header("Content-Range").orElse("").strip());
        if (!m.matches() || Long.parseLong(m.group(1)) != have) {
          throw new CorruptDownload(
              "the server resumed at a different offset than asked (" + http.clean(r.header("Content-Range").orElse("none"), 100) + ")",
              "a different part of the file");
        }
        offset = have;
        total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
      } else if (r.status() == 200) {
        offset = 0;
        OptionalLong length = contentLength(r);
        total = length.isPresent() ? length.getAsLong() : -1;
      } else {
        throw new HubErrors.Permanent("unexpected HTTP " + r.status() + " for " + http.show(r.uri()));
      }
      if (t.expectedSize() >= 0 && total >= 0 && total != t.expectedSize()) {
        throw new CorruptDownload("the server sends " + total + " bytes but the listing promised " + t.expectedSize(), total + " bytes");
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
              throw new CorruptDownload("the server sent more than the " + limit + " bytes promised", "more than " + limit + " bytes");
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

  private static long sizeOf(Path p) throws IOException {
    return Files.exists(p) ? Files.size(p) : 0;
  }

  /** The download does not match what was promised: discard it and start over once. */
  private static final class CorruptDownload extends IOException {
    private static final long serialVersionUID = 1L;
    final String actual;

    CorruptDownload(String message, String actual) {
      super(message);
      this.actual = actual;
    }
  }

  /**
   * A running checksum of the file's bytes, fed as they arrive and caught up from the disk for
   * resumed prefixes. A git blob id of a file whose size was not announced is computed from the
   * disk at the end (its header needs the size).
   */
  private static final class Digest {
    private final String algorithm;
    final String expected;
    private final long size;
    private final boolean deferred;
    private MessageDigest md;
    private long fed;

    private Digest(String algorithm, String expected, long size, boolean deferred) {
      this.algorithm = algorithm;
      this.expected = expected;
      this.size = size;
      this.deferred = deferred;
      reset();
    }

    static Digest of(Target t) {
      if (t.sha256() != null) {
        return new Digest("SHA-256", t.sha256(), t.expectedSize(), false);
      }
      return new Digest("SHA-1", t.gitSha1(), t.expectedSize(), t.expectedSize() < 0);
    }

    /** {@code "sha256"} or {@code "git-sha1"}. */
    String algorithm() {
      return algorithm.equals("SHA-1") ? "git-sha1" : "sha256";
    }

    /** For messages. */
    String name() {
      return algorithm.equals("SHA-1") ? "git blob id" : "sha256";
    }

    void reset() {
      fed = 0;
      md = deferred ? null : newDigest(size);
    }

    private MessageDigest newDigest(long blobSize) {
      try {
        MessageDigest m = MessageDigest.getInstance(algorithm);
        if (algorithm.equals("SHA-1")) {
          // git's blob id: SHA-1 of "blob <size>\0" followed by the content
          m.update(("blob " + blobSize + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        return m;
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(algorithm + " is missing from this JDK", e);
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

    /** The checksum of the file's first {@code size} bytes, in lowercase hex. */
    String actual(Path file, long size) throws IOException {
      if (deferred) {
        md = newDigest(size);
        fed = 0;
      }
      catchUp(file, size);
      return HexFormat.of().formatHex(md.digest());
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
