package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Asks the Hub's revision route which commit a revision is at and which files the repository has
 * there ({@code GET /api/{models|datasets}/{repo}/revision/{rev}?blobs=true}), retrying transient
 * failures, and checks the answer: a commit hash, plain relative file names (others are dropped
 * with a warning), well-formed checksums. Thread-safe.
 */
final class ListingFetcher {
  private static final System.Logger LOG = System.getLogger("dev.rerankers.hub");
  /** Listings beyond this are refused (a hostile or broken server); the largest real ones are a few MB. */
  static final int MAX_LISTING_BYTES = 64 << 20;

  private final RepoAtRevision repo;
  private final RepoMessages messages;
  private final RepoDeadlines deadlines;

  ListingFetcher(RepoAtRevision repo, RepoMessages messages, RepoDeadlines deadlines) {
    this.repo = repo;
    this.messages = messages;
    this.deadlines = deadlines;
  }

  /**
   * A revision's commit and files.
   *
   * @param commit the commit hash
   * @param files the files by path, sorted
   */
  record Listing(String commit, Map<String, RemoteFile> files) {}

  /**
   * The listing at {@code rev} (a branch, tag or commit).
   *
   * @throws ModelLoadException naming the repository and revision when the Hub cannot give it
   */
  Listing fetch(String rev) {
    HubClient client = repo.client();
    HubHttp http = client.http();
    URI uri =
        URI.create(
            http.endpoint()
                + "/api/"
                + repo.type().plural()
                + "/"
                + repo.id()
                + "/revision/"
                + UrlPaths.encodeSegment(rev)
                + "?blobs=true");
    HubErrors.Context ctx = messages.context(null, rev);
    Deadline deadline = deadlines.load();
    try {
      return parse(client.retries().run(() -> http.getJson(uri, MAX_LISTING_BYTES, deadline), deadline, repo.id(), http), uri);
    } catch (HttpStatusException e) {
      throw HubErrors.status(e, ctx);
    } catch (IOException e) {
      if (HubErrors.isTimeout(e)) {
        throw HubErrors.timeout(e, ctx, null);
      }
      throw HubErrors.io(e, ctx, repo.cache().cacheDir().toString(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelLoadException("interrupted while resolving " + ctx.what(), e);
    }
  }

  private Listing parse(Object json, URI uri) {
    String repoId = repo.id();
    try {
      Map<?, ?> m = (Map<?, ?>) json;
      String sha = (String) m.get("sha");
      if (!HubNames.isCommit(sha)) {
        throw new ModelLoadException(
            "the Hub's answer for "
                + repo.type().word()
                + " '"
                + repoId
                + "' has no valid commit hash (sha="
                + RepoPaths.printable(String.valueOf(sha))
                + ") at "
                + HubHttp.withoutQuery(uri));
      }
      Map<String, RemoteFile> files = new TreeMap<>();
      Object siblings = m.get("siblings");
      for (Object o : siblings instanceof List ? (List<?>) siblings : List.of()) {
        Map<?, ?> s = (Map<?, ?>) o;
        String name = (String) s.get("rfilename");
        if (!RepoPaths.isValid(name)) {
          LOG.log(
              Level.WARNING,
              "{0}: refusing file name ''{1}'' from the Hub listing (not a plain relative path); it cannot be fetched",
              repoId,
              RepoPaths.printable(name));
          continue;
        }
        Map<?, ?> lfs = s.get("lfs") instanceof Map ? (Map<?, ?>) s.get("lfs") : null;
        String blobId = s.get("blobId") instanceof String ? (String) s.get("blobId") : null;
        String sha256 = lfs != null && lfs.get("sha256") instanceof String ? (String) lfs.get("sha256") : null;
        if (blobId != null && !HubNames.isSafeEtag(blobId)) {
          blobId = null;
        }
        if (sha256 != null && !HubNames.isSha256(sha256)) {
          throw new ModelLoadException(
              "the Hub listing of '" + repoId + "' gives " + name + " a malformed sha256: " + RepoPaths.printable(sha256));
        }
        files.put(name, new RemoteFile(name, asLong(s.get("size")), blobId, sha256, lfs == null ? null : asLong(lfs.get("size"))));
      }
      return new Listing(sha, files);
    } catch (ClassCastException | NullPointerException e) {
      throw new ModelLoadException(
          "the Hub sent an unexpected listing for '" + repoId + "' at " + HubHttp.withoutQuery(uri) + ": " + e.getMessage(), e);
    }
  }

  private static Long asLong(Object o) {
    return o instanceof Number ? Long.valueOf(((Number) o).longValue()) : null;
  }
}
