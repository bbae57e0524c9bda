package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The messages of one {@link HubRepo} that are about the repository rather than a failed exchange
 * (those are {@link HubErrors}'): a file it does not have, files that offline mode cannot get, and
 * the context that {@link HubErrors} words its messages with. Each names the repository, revision
 * and commit, and the fix. Stateless and thread-safe.
 */
final class RepoMessages {
  private final RepoAtRevision repo;

  RepoMessages(RepoAtRevision repo) {
    this.repo = repo;
  }

  /**
   * The repository has none of {@code paths}.
   *
   * @param commit the pinned commit, or null
   * @param have the repository's files, for the message (may be empty)
   */
  ModelLoadException notInRepo(List<String> paths, String commit, List<String> have) {
    return new ModelLoadException(
        repo.type().word()
            + " '"
            + repo.id()
            + "' (revision "
            + repo.revision()
            + (commit == null || commit.equals(repo.revision()) ? "" : ", commit " + commit)
            + ") has no "
            + String.join(", ", paths)
            + (have.isEmpty() ? "" : " (files there: " + abbreviate(have) + ")"));
  }

  /**
   * Offline mode is on and {@code paths} are not in the cache (with {@code commit} null: the
   * revision itself is not).
   */
  ModelLoadException offlineMissing(List<String> paths, String commit) {
    String where = repo.cache().root().toString();
    String revision = repo.revision();
    String fetch =
        " Fetch them once while online (run without offline mode, or with Python: hf download "
            + (repo.type() == RepoType.DATASET ? "--repo-type dataset " : "")
            + repo.id()
            + (revision.equals("main") ? "" : " --revision " + revision)
            + (paths.isEmpty() ? "" : " " + String.join(" ", paths))
            + "), which fills the same cache; or pass the path of a local folder holding the model.";
    if (commit == null) {
      return new ModelLoadException(
          "offline mode is on (HF_HUB_OFFLINE=1 or offline=true) and "
              + repo.type().word()
              + " '"
              + repo.id()
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
            + repo.type().word()
            + " '"
            + repo.id()
            + "' (revision "
            + revision
            + ", commit "
            + commit
            + ") are not in the cache at "
            + where
            + ": "
            + String.join(", ", paths)
            + "."
            + fetch);
  }

  /** What {@link HubErrors} needs to word a failure about {@code file} (null: the repository) at {@code rev}. */
  HubErrors.Context context(String file, String rev) {
    HubClient client = repo.client();
    UnaryOperator<String> mask = client.offline() ? UnaryOperator.identity() : client.http()::mask;
    return new HubErrors.Context(repo.type(), repo.id(), rev, file, client.endpoint().toString(), client.hasToken(), mask);
  }

  private static String abbreviate(List<String> names) {
    return names.size() <= 20 ? String.join(", ", names) : String.join(", ", names.subList(0, 20)) + ", ... (" + names.size() + " in all)";
  }
}
