package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;

/**
 * Pins a {@link HubRepo}'s revision to one commit, and knows its file listing there, asking the
 * network as little as possible: the commit from the cache ({@code refs/<revision>}, or the
 * revision itself when it is a commit hash) when recorded there, unless {@link
 * HubClient.Builder#refreshRevisions} asks the Hub where a branch or tag is now; the listing from
 * {@code trees/<commit>.json} when cached, else from the Hub ({@link ListingFetcher}), then
 * recorded in the cache ({@code refs/}, {@code trees/}). Once pinned, the commit never changes for
 * this repository object. Thread-safe.
 */
final class RevisionResolver {
  private static final System.Logger LOG = System.getLogger("dev.rerankers.hub");

  private final RepoAtRevision repo;
  private final ListingFetcher fetcher;
  private final Object lock = new Object();
  private String commit; // guarded by lock
  private Map<String, RemoteFile> files; // guarded by lock

  RevisionResolver(RepoAtRevision repo, ListingFetcher fetcher) {
    this.repo = repo;
    this.fetcher = fetcher;
  }

  /** The pinned commit, if known without the network (and then pinned); else null. */
  String localCommit() {
    HubClient client = repo.client();
    synchronized (lock) {
      // with refreshRevisions, a branch or tag is resolved by the Hub (a commit hash never moves)
      if (commit == null && (!client.refreshRevisions() || client.offline() || HubNames.isCommit(repo.revision()))) {
        commit = repo.cache().commitOf(repo.revision()).orElse(null);
      }
      return commit;
    }
  }

  /** The commit pinned so far, without looking anywhere; null when none is. */
  String pinned() {
    synchronized (lock) {
      return commit;
    }
  }

  /**
   * The commit and its file listing: pins the revision first when needed (a request to the Hub
   * unless the cache knows it), then reads the listing from {@code trees/} or the Hub. Online only.
   *
   * @throws ModelLoadException when the Hub cannot answer, or answers for another commit than the
   *     one pinned
   */
  ListingFetcher.Listing listing() {
    synchronized (lock) {
      if (files != null) {
        return new ListingFetcher.Listing(commit, files);
      }
      if (commit != null) {
        Optional<Map<String, RemoteFile>> tree = repo.cache().readTree(commit);
        if (tree.isPresent()) {
          files = Collections.unmodifiableMap(tree.get());
          return new ListingFetcher.Listing(commit, files);
        }
      }
      String asked = commit != null ? commit : repo.revision();
      ListingFetcher.Listing info = fetcher.fetch(asked);
      if (commit != null && !commit.equals(info.commit())) {
        throw new ModelLoadException(
            "the Hub answered commit "
                + info.commit()
                + " for "
                + repo.type().word()
                + " '"
                + repo.id()
                + "' at commit "
                + commit
                + "; refusing it");
      }
      commit = info.commit();
      files = Collections.unmodifiableMap(info.files());
      try {
        repo.cache().writeRef(repo.revision(), commit);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot record refs/" + repo.revision() + " in " + repo.cache().root() + ": " + e);
      }
      repo.cache().writeTree(commit, info.files().values());
      return new ListingFetcher.Listing(commit, files);
    }
  }
}
