package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Brings one file of a {@link HubRepo} into the cache: finds its checksum (from the listing, or
 * else the resolve route's {@code X-Linked-Etag} / {@code ETag}, as huggingface_hub does) and
 * refuses a file it cannot verify; then, under the blob's {@link CacheLock} (shared with other
 * threads and JVMs), downloads the blob unless it is cached ({@link BlobFetcher}: resumed,
 * verified) and links it into the snapshot. Thread-safe.
 */
final class FileDownloader {
  private final RepoAtRevision repo;
  private final RepoMessages messages;
  private final RepoDeadlines deadlines;

  FileDownloader(RepoAtRevision repo, RepoMessages messages, RepoDeadlines deadlines) {
    this.repo = repo;
    this.messages = messages;
    this.deadlines = deadlines;
  }

  /**
   * The file's path in the snapshot of {@code commit}, downloaded and verified when its blob is
   * not cached yet.
   *
   * @throws ModelLoadException (or {@link HubIntegrityException}, {@link HubTimeoutException},
   *     {@link HubRedirectException}) naming the file, what went wrong and what was kept
   */
  @SuppressWarnings("try") // the lock is held for the block's duration, not used in it
  Path download(RemoteFile rf, String commit) {
    HubClient client = repo.client();
    HubHttp http = client.http();
    RepoCache cache = repo.cache();
    HubErrors.Context ctx = messages.context(rf.path(), repo.revision());
    URI url =
        URI.create(
            http.endpoint()
                + "/"
                + repo.type().urlPrefix()
                + repo.id()
                + "/resolve/"
                + UrlPaths.encodeSegment(commit)
                + "/"
                + UrlPaths.encodePath(rf.path()));
    Path incomplete = null;
    try {
      String etag = rf.etag();
      long size = rf.expectedSize();
      String sha256 = rf.lfsSha256();
      String gitSha1 = rf.lfsSha256() == null ? rf.blobId() : null;
      if (etag == null) {
        // the listing came without blob metadata: ask the resolve route's headers, as huggingface_hub does
        Deadline headDeadline = deadlines.load();
        Head head = client.retries().run(() -> head(url, rf.path(), headDeadline), headDeadline, repo.id(), http);
        etag = head.etag;
        size = size >= 0 ? size : head.size;
        sha256 = HubNames.isSha256(etag) ? etag : null;
        gitSha1 = sha256 == null ? etag : null;
      }
      if (!HubNames.isSafeEtag(etag)) {
        throw new ModelLoadException(
            "the Hub gave " + rf.path() + " of '" + repo.id() + "' an unusable ETag '" + http.clean(etag, 200) + "'; refusing it");
      }
      if (sha256 == null && !HubNames.isCommit(gitSha1)) {
        // the git blob id has the shape of a commit hash: 40 lowercase hex digits
        throw new ModelLoadException(
            "refusing "
                + rf.path()
                + " of '"
                + repo.id()
                + "': its ETag '"
                + http.clean(etag, 200)
                + "' is neither a git blob id (40 hex digits) nor a SHA-256, so the file cannot be verified;"
                + " nothing was cached. A mirror must send the Hub's ETags");
      }
      Path blob = cache.blob(etag);
      Path pointer = cache.pointer(commit, rf.path());
      incomplete = cache.incomplete(etag);
      cache.tagCacheDir();
      try (CacheLock held = CacheLock.acquire(cache.lockFile(etag))) {
        if (Files.isRegularFile(pointer)) {
          return pointer;
        }
        if (!Files.isRegularFile(blob)) {
          new BlobFetcher(http, client.listener(), client.retries())
              .fetch(
                  new BlobFetcher.Target(repo.id(), rf.path(), url, commit, size, sha256, gitSha1, deadlines.file(size)),
                  incomplete,
                  blob);
        }
        cache.link(blob, pointer, client.symlinks());
      }
      return pointer;
    } catch (HttpStatusException e) {
      throw HubErrors.status(e, ctx);
    } catch (IOException e) {
      if (HubErrors.isTimeout(e)) {
        throw HubErrors.timeout(e, ctx, incomplete);
      }
      throw HubErrors.io(e, ctx, cache.cacheDir().toString(), incomplete);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelLoadException("interrupted while downloading " + ctx.what(), e);
    }
  }

  private static final class Head {
    final String etag;
    final long size;

    Head(String etag, long size) {
      this.etag = etag;
      this.size = size;
    }
  }

  /**
   * The resolve route's answer to HEAD: redirects are followed (a renamed repository) except the
   * one to the CDN that carries an LFS file's {@code X-Linked-Etag}.
   */
  private Head head(URI url, String path, Deadline deadline) throws IOException, InterruptedException {
    try (HubHttp.Response r = repo.client().http().send("HEAD", url, Map.of("Accept-Encoding", "identity"), true, deadline)) {
      String etag = HubNames.normalizeEtag(r.header("X-Linked-Etag").or(() -> r.header("ETag")).orElse(null));
      if (etag == null) {
        throw new ModelLoadException("the Hub sent no ETag for " + path + " of '" + repo.id() + "'; cannot verify or cache it");
      }
      long size = r.longHeader("X-Linked-Size").orElse(-1);
      if (size < 0 && r.status() < 300) {
        size = r.longHeader("Content-Length").orElse(-1);
      }
      return new Head(etag, size);
    }
  }
}
