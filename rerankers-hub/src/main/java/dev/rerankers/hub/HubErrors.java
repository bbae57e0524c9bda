package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Classifies failures once (transient: worth retrying; permanent: not) and turns them into {@link
 * ModelLoadException}s whose messages name the repository, the revision or file, what went wrong,
 * what was kept, and what to do. Messages never contain the token: only the fact that one was
 * sent, and server text with the token masked.
 */
final class HubErrors {
  private HubErrors() {}

  /** A deadline passed: permanent, since trying again cannot give back the time. */
  static final class DeadlineExceeded extends IOException {
    private static final long serialVersionUID = 1L;

    DeadlineExceeded(String what) {
      super("past " + what);
    }
  }

  /** The transfer went on below the minimum rate for a whole stall window: transient (resumed). */
  static final class Stalled extends IOException {
    private static final long serialVersionUID = 1L;

    Stalled(String message) {
      super(message);
    }
  }

  /** A failure that the same request would meet again (oversized answer, protocol error): never retried. */
  static final class Permanent extends IOException {
    private static final long serialVersionUID = 1L;

    Permanent(String message) {
      super(message);
    }

    Permanent(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Whether trying again may succeed: dropped or reset connections, read timeouts, stalls, and
   * HTTP 408, 429 and 5xx gateway or server errors. Not: other statuses, an unreachable host (a
   * refused connection, an unknown name, a connect timeout), TLS certificate failures, a passed
   * deadline, oversized or malformed answers.
   */
  static boolean isTransient(IOException e) {
    if (e instanceof HttpStatusException) {
      return ((HttpStatusException) e).retriable();
    }
    if (e instanceof DeadlineExceeded || e instanceof Permanent || isUnreachable(e)) {
      return false;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException || t instanceof SSLPeerUnverifiedException || t instanceof CertificateException) {
        return false;
      }
    }
    return true;
  }

  /** Whether the failure is a timeout of some kind (a deadline, a stall, no data for the read timeout). */
  static boolean isTimeout(IOException e) {
    return e instanceof DeadlineExceeded || e instanceof Stalled || (e instanceof HttpTimeoutException && !(e instanceof HttpConnectTimeoutException));
  }

  /** What was being done, for messages. */
  record Context(
      RepoType type, String repoId, String revision, String file, String endpoint, boolean tokenSent, UnaryOperator<String> mask) {
    /** A failure's own message, made safe: one line, printable, the token masked. */
    String cause(Throwable e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return RepoPaths.printable(mask.apply(m.replaceAll("\\s+", " ").strip()));
    }

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
      msg = "the Hub refused the request for " + c.what() + " (" + head + ", " + e.shown() + ").";
    }
    return new ModelLoadException(msg + server, e);
  }

  /**
   * A timeout, saying what was kept: the bytes of {@code partial} (a {@code .incomplete} file) are
   * resumed by the next load; with none, nothing is claimed.
   */
  static HubTimeoutException timeout(IOException e, Context c, Path partial) {
    long kept = sizeOf(partial);
    String cause = c.cause(e);
    String why;
    if (e instanceof DeadlineExceeded) {
      why = "did not finish in time (" + cause + ")";
    } else if (e instanceof Stalled) {
      why = "stalled: " + cause;
    } else {
      why = "timed out: " + cause;
    }
    String hint =
        e instanceof DeadlineExceeded
            ? " On a slow network, raise the limit (HubClient.Builder fileDeadline or loadDeadline;"
                + " HF_HUB_DOWNLOAD_DEADLINE or HF_HUB_LOAD_DEADLINE, in seconds)."
            : " Try again later; on a slow network, lower the floor (minBytesPerSecond, HF_HUB_DOWNLOAD_MIN_RATE)"
                + " or raise the timeout (timeout, HF_HUB_DOWNLOAD_TIMEOUT).";
    return new HubTimeoutException(
        c.file(),
        kept,
        partial,
        (c.file() == null ? "resolving " : "downloading ")
            + c.what()
            + " from "
            + c.endpoint()
            + " "
            + why
            + "."
            + kept(kept, partial)
            + hint,
        e);
  }

  /** Words about the partial file: what is kept for the next attempt, or nothing when nothing arrived. */
  static String kept(long bytes, Path partial) {
    if (partial == null) {
      return "";
    }
    return bytes > 0
        ? " The " + bytes + " bytes received are kept in " + partial + " and the next load resumes from there."
        : " No byte of the file arrived, so nothing was kept.";
  }

  static long sizeOf(Path p) {
    try {
      return p != null && java.nio.file.Files.isRegularFile(p) ? java.nio.file.Files.size(p) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Any other I/O failure; {@code partial}, when not null, is the {@code .incomplete} file whose
   * bytes (if any) the next load resumes.
   */
  static ModelLoadException io(IOException e, Context c, String cacheDir, Path partial) {
    String cause = c.cause(e);
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
            + kept(sizeOf(partial), partial),
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
