package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * One Hub repository at one revision, as a {@link ModelSource}: files are looked up in the cache
 * first and downloaded only when missing, all from the same commit.
 *
 * <p>Resolution: the revision's commit is taken from the cache ({@code refs/<revision>}, or the
 * revision itself when it is a commit hash) when present, so a model cached once, by this library
 * or by Python, loads with no request at all; otherwise (or with {@link
 * HubClient.Builder#refreshRevisions}) the Hub's revision route gives the commit and the file
 * listing, which are recorded in the cache. Files the listing lacks are recorded as absent ({@code
 * .no_exist/}), so optional files cost no request the next time either.
 *
 * <p>Thread-safe: threads may ask for files concurrently; each blob is downloaded once, under a
 * lock shared with other threads and other JVMs using the same cache.
 */
public final class HubRepo implements ModelSource {
  private static final System.Logger LOG = System.getLogger("dev.rerankers.hub");
  private static final int MAX_LISTING_BYTES = 64 << 20;

  private final HubClient client;
  private final RepoType type;
  private final String repoId;
  private final String revision;
  private final RepoCache cache;

  private final Object lock = new Object();
  private String commit; // guarded by lock
  private Map<String, RemoteFile> listing; // guarded by lock
  private Deadline loadDeadline; // guarded by lock; started by the first request

  HubRepo(HubClient client, RepoType type, String repoId, String revision) {
    this.client = client;
    this.type = type;
    this.repoId = repoId;
    this.revision = revision;
    this.cache = new RepoCache(client.cacheDir(), type, repoId);
  }

  /** The repository id, e.g. {@code BAAI/bge-reranker-base}. */
  @Override
  public String id() {
    return repoId;
  }

  /** Whether it is a model or a dataset repository. */
  public RepoType type() {
    return type;
  }

  /** The revision asked for (branch, tag or commit). */
  public String revision() {
    return revision;
  }

  @Override
  public boolean isLocal() {
    return false;
  }

  /**
   * The commit hash the revision resolves to: from the cache when recorded there, else from the
   * Hub (one request).
   *
   * @throws ModelLoadException when it is neither cached nor reachable
   */
  public String commit() {
    String c = localCommit();
    if (c != null) {
      return c;
    }
    if (client.offline()) {
      throw offlineMissing(List.of(), null);
    }
    listing();
    synchronized (lock) {
      return commit;
    }
  }

  /**
   * The snapshot folder, {@code <cache>/models--org--name/snapshots/<commit>}: files fetched so far
   * are there under their repository paths (as symlinks into {@code blobs/}, or copies).
   */
  @Override
  public Path directory() {
    return cache.snapshot(commit());
  }

  @Override
  public Path file(String path) {
    Lookup l = lookup(path);
    switch (l.state) {
      case CACHED:
        return l.path;
      case ABSENT:
        throw notInRepo(List.of(path));
      default:
        throw offlineMissing(List.of(path), l.commit);
    }
  }

  @Override
  public Optional<Path> optionalFile(String path) {
    Lookup l = lookup(path);
    switch (l.state) {
      case CACHED:
        return Optional.of(l.path);
      case ABSENT:
        return Optional.empty();
      default:
        if (l.commit == null) {
          throw offlineMissing(List.of(path), null);
        }
        LOG.log(Level.INFO, "{0}: offline, and the optional file {1} is not in the cache; going on without it", repoId, path);
        return Optional.empty();
    }
  }

  /** Every required file, fetched as needed; fails once, naming all files that are missing. */
  @Override
  public Map<String, Path> require(Collection<String> paths) {
    Map<String, Path> found = new LinkedHashMap<>();
    List<String> absent = new ArrayList<>();
    List<String> notCached = new ArrayList<>();
    String offlineCommit = null;
    for (String p : paths) {
      Lookup l = lookup(p);
      switch (l.state) {
        case CACHED:
          found.put(p, l.path);
          break;
        case ABSENT:
          absent.add(p);
          break;
        default:
          notCached.add(p);
          offlineCommit = l.commit;
      }
    }
    if (!notCached.isEmpty()) {
      List<String> all = new ArrayList<>(notCached);
      all.addAll(absent);
      throw offlineMissing(all, offlineCommit);
    }
    if (!absent.isEmpty()) {
      throw notInRepo(absent);
    }
    return Collections.unmodifiableMap(found);
  }

  /**
   * Every file of the repository at the commit. Online this is the Hub's listing (cached in {@code
   * trees/<commit>.json}); offline it is that cached listing, or else the files present in the
   * snapshot folder.
   */
  @Override
  public List<String> files() {
    String c = localCommit();
    if (client.offline()) {
      if (c == null) {
        throw offlineMissing(List.of(), null);
      }
      return cache.readTree(c).map(t -> List.copyOf(t.keySet())).orElseGet(() -> cache.snapshotFiles(c));
    }
    return List.copyOf(listing().keySet());
  }

  // ---------------------------------------------------------------------------------------------

  private enum State {
    CACHED,
    ABSENT,
    NOT_CACHED
  }

  /** Where a file stands: cached (path), absent from the repository, or (offline) not in the cache. */
  private static final class Lookup {
    final State state;
    final Path path;
    final String commit;

    Lookup(State state, Path path, String commit) {
      this.state = state;
      this.path = path;
      this.commit = commit;
    }
  }

  private Lookup lookup(String path) {
    RepoPaths.check(path);
    String c = localCommit();
    if (c != null) {
      Optional<Path> hit = cache.cachedFile(c, path);
      if (hit.isPresent()) {
        return new Lookup(State.CACHED, hit.get(), c);
      }
      if (cache.markedAbsent(c, path)) {
        return new Lookup(State.ABSENT, null, c);
      }
    }
    if (client.offline()) {
      if (c != null && cache.readTree(c).map(t -> !t.containsKey(path)).orElse(false)) {
        return new Lookup(State.ABSENT, null, c);
      }
      return new Lookup(State.NOT_CACHED, null, c);
    }
    Map<String, RemoteFile> files = listing();
    String at;
    synchronized (lock) {
      at = commit;
    }
    RemoteFile rf = files.get(path);
    if (rf == null) {
      cache.markAbsent(at, path);
      return new Lookup(State.ABSENT, null, at);
    }
    return new Lookup(State.CACHED, download(rf, at), at);
  }

  /** The commit this source is pinned to, if known without the network (and then pinned). */
  private String localCommit() {
    synchronized (lock) {
      // with refreshRevisions, a branch or tag is resolved by the Hub (a commit hash never moves)
      if (commit == null && (!client.refreshRevisions() || client.offline() || HubNames.isCommit(revision))) {
        commit = cache.commitOf(revision).orElse(null);
      }
      return commit;
    }
  }

  /** The file listing at the pinned commit: from {@code trees/} when cached, else from the Hub. */
  private Map<String, RemoteFile> listing() {
    synchronized (lock) {
      if (listing != null) {
        return listing;
      }
      if (commit != null) {
        Optional<Map<String, RemoteFile>> tree = cache.readTree(commit);
        if (tree.isPresent()) {
          listing = Collections.unmodifiableMap(tree.get());
          return listing;
        }
      }
      String asked = commit != null ? commit : revision;
      RepoInfo info = fetchInfo(asked);
      if (commit != null && !commit.equals(info.sha)) {
        throw new ModelLoadException(
            "the Hub answered commit " + info.sha + " for " + type.word() + " '" + repoId + "' at commit " + commit + "; refusing it");
      }
      commit = info.sha;
      listing = Collections.unmodifiableMap(info.files);
      try {
        cache.writeRef(revision, commit);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot record refs/" + revision + " in " + cache.root() + ": " + e);
      }
      cache.writeTree(commit, info.files.values());
      return listing;
    }
  }

  private static final class RepoInfo {
    final String sha;
    final Map<String, RemoteFile> files;

    RepoInfo(String sha, Map<String, RemoteFile> files) {
      this.sha = sha;
      this.files = files;
    }
  }

  private RepoInfo fetchInfo(String rev) {
    HubHttp http = client.http();
    URI uri =
        URI.create(
            http.endpoint()
                + "/api/"
                + type.plural()
                + "/"
                + repoId
                + "/revision/"
                + UrlPaths.encodeSegment(rev)
                + "?blobs=true");
    HubErrors.Context ctx = context(null, rev);
    Deadline deadline = loadDeadline();
    try {
      return parseInfo(withRetries(() -> http.getJson(uri, MAX_LISTING_BYTES, deadline), deadline), uri);
    } catch (HttpStatusException e) {
      throw HubErrors.status(e, ctx);
    } catch (IOException e) {
      if (HubErrors.isTimeout(e)) {
        throw HubErrors.timeout(e, ctx, null);
      }
      throw HubErrors.io(e, ctx, cache.cacheDir().toString(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelLoadException("interrupted while resolving " + ctx.what(), e);
    }
  }

  /** One exchange of a small answer (listing, HEAD). */
  @FunctionalInterface
  private interface Exchange<T> {
    T run() throws IOException, InterruptedException;
  }

  /** Runs the exchange, retrying transient failures (see {@link HubErrors#isTransient}) within the deadline. */
  private <T> T withRetries(Exchange<T> exchange, Deadline deadline) throws IOException, InterruptedException {
    int failures = 0;
    while (true) {
      try {
        return exchange.run();
      } catch (IOException e) {
        if (!HubErrors.isTransient(e) || failures >= client.maxRetries()) {
          throw e;
        }
        failures++;
        Duration wait = backoff(failures);
        if (e instanceof HttpStatusException && ((HttpStatusException) e).retryAfter().isPresent()) {
          wait = ((HttpStatusException) e).retryAfter().get();
          wait = wait.compareTo(Duration.ofSeconds(60)) > 0 ? Duration.ofSeconds(60) : wait;
        }
        LOG.log(
            Level.DEBUG,
            "{0}: {1}; retrying, attempt {2} of {3}",
            repoId,
            client.http().clean(e.getMessage(), 300),
            String.valueOf(failures + 1),
            String.valueOf(client.maxRetries() + 1));
        BlobFetcher.pause(wait, deadline);
      }
    }
  }

  /** The per-load deadline, started by the first request this repository makes. */
  private Deadline loadDeadline() {
    synchronized (lock) {
      if (loadDeadline == null) {
        Duration d = client.loadDeadline();
        loadDeadline =
            Deadline.after(d, d == null ? null : "the per-load deadline of " + seconds(d) + " (loadDeadline, HF_HUB_LOAD_DEADLINE)");
      }
      return loadDeadline;
    }
  }

  /** The deadline of one file's download: its own limit (set, or scaled by its size), within the load's. */
  private Deadline fileDeadline(long size) {
    Duration d = client.fileDeadline(size);
    String origin =
        client.fileDeadlineSet()
            ? ""
            : size >= 0 ? "the default for " + size + " bytes; " : "the default for a file of unknown size; ";
    String what = "the per-file deadline of " + seconds(d) + " (" + origin + "fileDeadline, HF_HUB_DOWNLOAD_DEADLINE)";
    return Deadline.after(d, what).min(loadDeadline());
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private RepoInfo parseInfo(Object json, URI uri) {
    try {
      Map<?, ?> m = (Map<?, ?>) json;
      String sha = (String) m.get("sha");
      if (!HubNames.isCommit(sha)) {
        throw new ModelLoadException(
            "the Hub's answer for "
                + type.word()
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
      return new RepoInfo(sha, files);
    } catch (ClassCastException | NullPointerException e) {
      throw new ModelLoadException(
          "the Hub sent an unexpected listing for '" + repoId + "' at " + HubHttp.withoutQuery(uri) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Downloads one file (unless its blob is already cached), verifies it, and links it into the
   * snapshot. Every file is verified: LFS files against their SHA-256, the others against their
   * git blob id, from the listing or else from the resolve route's {@code X-Linked-Etag} / {@code
   * ETag}; a file whose checksum is unknown is refused.
   */
  @SuppressWarnings("try") // the lock is held for the block's duration, not used in it
  private Path download(RemoteFile rf, String at) {
    HubErrors.Context ctx = context(rf.path(), revision);
    URI url =
        URI.create(
            client.http().endpoint()
                + "/"
                + type.urlPrefix()
                + repoId
                + "/resolve/"
                + UrlPaths.encodeSegment(at)
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
        Deadline headDeadline = loadDeadline();
        Head head = withRetries(() -> head(url, rf.path(), headDeadline), headDeadline);
        etag = head.etag;
        size = size >= 0 ? size : head.size;
        sha256 = HubNames.isSha256(etag) ? etag : null;
        gitSha1 = sha256 == null ? etag : null;
      }
      if (!HubNames.isSafeEtag(etag)) {
        throw new ModelLoadException(
            "the Hub gave " + rf.path() + " of '" + repoId + "' an unusable ETag '" + client.http().clean(etag, 200) + "'; refusing it");
      }
      if (sha256 == null && !HubNames.isCommit(gitSha1)) {
        // the git blob id has the shape of a commit hash: 40 lowercase hex digits
        throw new ModelLoadException(
            "refusing "
                + rf.path()
                + " of '"
                + repoId
                + "': its ETag '"
                + client.http().clean(etag, 200)
                + "' is neither a git blob id (40 hex digits) nor a SHA-256, so the file cannot be verified;"
                + " nothing was cached. A mirror must send the Hub's ETags");
      }
      Path blob = cache.blob(etag);
      Path pointer = cache.pointer(at, rf.path());
      incomplete = cache.incomplete(etag);
      cache.tagCacheDir();
      try (CacheLock held = CacheLock.acquire(cache.lockFile(etag))) {
        if (Files.isRegularFile(pointer)) {
          return pointer;
        }
        if (!Files.isRegularFile(blob)) {
          new BlobFetcher(client.http(), client.listener(), client.maxRetries(), client.retryBackoff())
              .fetch(
                  new BlobFetcher.Target(repoId, rf.path(), url, at, size, sha256, gitSha1, fileDeadline(size)),
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
    try (HubHttp.Response r = client.http().send("HEAD", url, Map.of("Accept-Encoding", "identity"), true, deadline)) {
      String etag = HubNames.normalizeEtag(r.header("X-Linked-Etag").or(() -> r.header("ETag")).orElse(null));
      if (etag == null) {
        throw new ModelLoadException("the Hub sent no ETag for " + path + " of '" + repoId + "'; cannot verify or cache it");
      }
      long size = r.longHeader("X-Linked-Size").orElse(-1);
      if (size < 0 && r.status() < 300) {
        size = r.longHeader("Content-Length").orElse(-1);
      }
      return new Head(etag, size);
    }
  }

  private ModelLoadException notInRepo(List<String> paths) {
    String c;
    synchronized (lock) {
      c = commit;
    }
    List<String> have = new ArrayList<>();
    try {
      have = files();
    } catch (RuntimeException e) {
      // the listing is only for the message
    }
    return new ModelLoadException(
        type.word()
            + " '"
            + repoId
            + "' (revision "
            + revision
            + (c == null || c.equals(revision) ? "" : ", commit " + c)
            + ") has no "
            + String.join(", ", paths)
            + (have.isEmpty() ? "" : " (files there: " + abbreviate(have) + ")"));
  }

  private ModelLoadException offlineMissing(List<String> paths, String c) {
    String where = cache.root().toString();
    String fetch =
        " Fetch them once while online (run without offline mode, or with Python: hf download "
            + (type == RepoType.DATASET ? "--repo-type dataset " : "")
            + repoId
            + (revision.equals("main") ? "" : " --revision " + revision)
            + (paths.isEmpty() ? "" : " " + String.join(" ", paths))
            + "), which fills the same cache; or pass the path of a local folder holding the model.";
    if (c == null) {
      return new ModelLoadException(
          "offline mode is on (HF_HUB_OFFLINE=1 or offline=true) and "
              + type.word()
              + " '"
              + repoId
              + "' at revision '"
              + revision
              + "' is not in the cache ("
              + where
              + " has no refs/"
              + revision
              + " or snapshot)."
              + (paths.isEmpty() ? "" : " Needed: " + String.join(", ", paths) + ".")
              + fetch);
    }
    return new ModelLoadException(
        "offline mode is on (HF_HUB_OFFLINE=1 or offline=true) and these files of "
            + type.word()
            + " '"
            + repoId
            + "' (revision "
            + revision
            + ", commit "
            + c
            + ") are not in the cache at "
            + where
            + ": "
            + String.join(", ", paths)
            + "."
            + fetch);
  }

  private HubErrors.Context context(String file, String rev) {
    UnaryOperator<String> mask = client.offline() ? UnaryOperator.identity() : client.http()::mask;
    return new HubErrors.Context(type, repoId, rev, file, client.endpoint().toString(), client.hasToken(), mask);
  }

  private Duration backoff(int failures) {
    Duration d = client.retryBackoff().multipliedBy(1L << Math.min(failures - 1, 10));
    return d.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : d;
  }

  private static Long asLong(Object o) {
    return o instanceof Number ? Long.valueOf(((Number) o).longValue()) : null;
  }

  private static String abbreviate(List<String> names) {
    return names.size() <= 20 ? String.join(", ", names) : String.join(", ", names.subList(0, 20)) + ", ... (" + names.size() + " in all)";
  }

  @Override
  public String toString() {
    return "HubRepo[" + type.word() + " " + repoId + "@" + revision + ", cache=" + cache.root() + "]";
  }
}
