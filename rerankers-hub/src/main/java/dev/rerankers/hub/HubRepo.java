package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  // one job each: which commit and files (resolver, from the cache or the listing fetcher), one
  // file into the cache (downloader), the words of the repository-level failures (messages)
  private final RepoAtRevision repo;
  private final RepoMessages messages;
  private final RevisionResolver resolver;
  private final FileDownloader downloader;

  HubRepo(HubClient client, RepoType type, String repoId, String revision) {
    this.repo = new RepoAtRevision(client, type, repoId, revision, new RepoCache(client.cacheDir(), type, repoId));
    this.messages = new RepoMessages(repo);
    RepoDeadlines deadlines = new RepoDeadlines(client);
    this.resolver = new RevisionResolver(repo, new ListingFetcher(repo, messages, deadlines));
    this.downloader = new FileDownloader(repo, messages, deadlines);
  }

  /** The repository id, e.g. {@code BAAI/bge-reranker-base}. */
  @Override
  public String id() {
    return repo.id();
  }

  /** Whether it is a model or a dataset repository. */
  public RepoType type() {
    return repo.type();
  }

  /** The revision asked for (branch, tag or commit). */
  public String revision() {
    return repo.revision();
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
    String c = resolver.localCommit();
    if (c != null) {
      return c;
    }
    if (repo.client().offline()) {
      throw messages.offlineMissing(List.of(), null);
    }
    return resolver.listing().commit();
  }

  /**
   * The snapshot folder, {@code <cache>/models--org--name/snapshots/<commit>}: files fetched so far
   * are there under their repository paths (as symlinks into {@code blobs/}, or copies).
   */
  @Override
  public Path directory() {
    return repo.cache().snapshot(commit());
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
        throw messages.offlineMissing(List.of(path), l.commit);
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
          throw messages.offlineMissing(List.of(path), null);
        }
        LOG.log(Level.INFO, "{0}: offline, and the optional file {1} is not in the cache; going on without it", repo.id(), path);
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
      throw messages.offlineMissing(all, offlineCommit);
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
    String c = resolver.localCommit();
    if (repo.client().offline()) {
      if (c == null) {
        throw messages.offlineMissing(List.of(), null);
      }
      return repo.cache().readTree(c).map(t -> List.copyOf(t.keySet())).orElseGet(() -> repo.cache().snapshotFiles(c));
    }
    return List.copyOf(resolver.listing().files().keySet());
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
    RepoCache cache = repo.cache();
    String c = resolver.localCommit();
    if (c != null) {
      Optional<Path> hit = cache.cachedFile(c, path);
      if (hit.isPresent()) {
        return new Lookup(State.CACHED, hit.get(), c);
      }
      if (cache.markedAbsent(c, path)) {
        return new Lookup(State.ABSENT, null, c);
      }
    }
    if (repo.client().offline()) {
      if (c != null && cache.readTree(c).map(t -> !t.containsKey(path)).orElse(false)) {
        return new Lookup(State.ABSENT, null, c);
      }
      return new Lookup(State.NOT_CACHED, null, c);
    }
    ListingFetcher.Listing listing = resolver.listing();
    String at = listing.commit();
    RemoteFile rf = listing.files().get(path);
    if (rf == null) {
      cache.markAbsent(at, path);
      return new Lookup(State.ABSENT, null, at);
    }
    return new Lookup(State.CACHED, downloader.download(rf, at), at);
  }

  private ModelLoadException notInRepo(List<String> paths) {
    String commit = resolver.pinned();
    List<String> have = new ArrayList<>();
    try {
      have = files();
    } catch (RuntimeException e) {
      // the listing is only for the message
    }
    return messages.notInRepo(paths, commit, have);
  }

  @Override
  public String toString() {
    return "HubRepo[" + repo.type().word() + " " + repo.id() + "@" + repo.revision() + ", cache=" + repo.cache().root() + "]";
  }
}
