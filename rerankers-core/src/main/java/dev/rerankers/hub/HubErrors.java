package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Turns HTTP and I/O failures into {@link ModelLoadException}s whose messages name the repository,
 * the revision or file, what went wrong, and what to do. Messages never contain the token: only
 * the fact that one was sent, and server text with the token masked.
 */
final class HubErrors {
  private HubErrors() {}

  /** What was being done, for messages. */
  record Context(RepoType type, String repoId, String revision, String file, String endpoint, boolean tokenSent) {
    String repo() {
      return type.word() + " '" + repoId + "'";
    }

    String what() {
      return file == null ? repo() + " (revision " + revision + ")" : file + " of " + repo() + " (revision " + revision + ")";
    }
  }

  static ModelLoadException status(HttpStatusException e, Context c) {
    String code = e.errorCode();
    int s = e.status();
    String server = e.serverMessage() == null ? "" : " The server said: " + e.serverMessage();
    String head = "HTTP " + s + (code == null ? "" : " " + code);
    String msg;
    if ("RevisionNotFound".equals(code)) {
      msg = "revision '" + c.revision() + "' does not exist in " + c.repo() + " (" + head + "): check the branch, tag or commit hash.";
    } else if ("EntryNotFound".equals(code) || (s == 404 && c.file() != null && code == null)) {
      msg = c.what() + " does not exist on the Hub (" + head + ").";
    } else if ("GatedRepo".equals(code) || s == 403) {
      msg =
          "access to "
              + c.repo()
              + " is not granted to "
              + (c.tokenSent() ? "this token" : "anonymous requests")
              + " ("
              + head
              + "): it is gated or private. Request access at "
              + c.endpoint()
              + "/"
              + (c.type() == RepoType.DATASET ? "datasets/" : "")
              + c.repoId()
              + ", then set HF_TOKEN (or the hfToken option) to a read token of an account that has it.";
    } else if ("RepoNotFound".equals(code) || s == 401 || s == 404) {
      msg =
          c.repo()
              + " was not found on "
              + c.endpoint()
              + " ("
              + head
              + "): check the id"
              + (c.type() == RepoType.MODEL ? " (a local folder path must exist)" : "")
              + (c.tokenSent()
                  ? "; if it is private or gated, the token sent has no access to it or is invalid."
                  : "; if it is private or gated, set HF_TOKEN (or the hfToken option) to a token that can read it.");
    } else if (s == 429) {
      msg = "the Hub rate-limited the requests for " + c.what() + " (" + head + "); wait and try again, or use a token (HF_TOKEN) for higher limits.";
    } else if (s >= 500) {
      msg =
          "the Hub at "
              + c.endpoint()
              + " failed while serving "
              + c.what()
              + " ("
              + head
              + "); try again later. Files already in the cache load without the network with offline=true or HF_HUB_OFFLINE=1.";
    } else {
      msg = "the Hub refused the request for " + c.what() + " (" + head + ", " + HubHttp.withoutQuery(e.uri()) + ").";
    }
    return new ModelLoadException(msg + server, e);
  }

  static ModelLoadException io(IOException e, Context c, String cacheDir, boolean partialKept) {
    String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (isUnreachable(e)) {
      return new ModelLoadException(
          "cannot reach the Hub at "
              + c.endpoint()
              + " to fetch "
              + c.what()
              + " ("
              + cause
              + "), and it is not in the cache at "
              + cacheDir
              + ". Check the network, proxy (-Dhttps.proxyHost) or HF_ENDPOINT; without network, load a cache"
              + " filled earlier (offline=true or HF_HUB_OFFLINE=1) or pass the path of a local model folder.",
          e);
    }
    return new ModelLoadException(
        "downloading "
            + c.what()
            + " from "
            + c.endpoint()
            + " failed: "
            + cause
            + "."
            + (partialKept ? " The partial file is kept in the cache and the next attempt resumes it." : ""),
        e);
  }

  private static boolean isUnreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof HttpConnectTimeoutException
          || t instanceof UnresolvedAddressException) {
        return true;
      }
    }
    return false;
  }
}
