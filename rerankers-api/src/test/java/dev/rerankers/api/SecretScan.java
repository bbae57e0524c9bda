package dev.rerankers.api;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Scans what the library shows (exception messages and {@code toString()}s with their causes and
 * suppressed exceptions, stack traces, log records) for a secret: the whole secret or any 8
 * consecutive characters of it. Register {@link Logs} as an extension to capture every log record
 * of a test (System.Logger goes to java.util.logging) and scan them after it.
 */
final class SecretScan {
  /** The longest run of a secret's characters a text may hold: the masked form shows the first 4. */
  static final int WINDOW = 8;

  private SecretScan() {}

  /** Fails when {@code text} holds the secret or 8 consecutive characters of it. */
  static void assertClean(String what, String text, String secret) {
    if (text == null || secret == null || secret.isEmpty()) {
      return;
    }
    if (text.contains(secret)) {
      throw new AssertionError(what + " contains the secret: " + text);
    }
    for (int i = 0; i + WINDOW <= secret.length(); i++) {
      String part = secret.substring(i, i + WINDOW);
      if (text.contains(part)) {
        throw new AssertionError(what + " contains characters " + i + ".." + (i + WINDOW) + " of the secret: " + text);
      }
    }
  }

  /** Every text a throwable shows: messages, toString()s and the printed stack trace of it and its causes. */
  static List<String> texts(Throwable t) {
    List<String> out = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    collect(t, out, seen);
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    out.add(w.toString());
    return out;
  }

  private static void collect(Throwable t, List<String> out, Set<Throwable> seen) {
    if (t == null || !seen.add(t)) {
      return;
    }
    out.add(String.valueOf(t.getMessage()));
    out.add(String.valueOf(t.getLocalizedMessage()));
    out.add(t.toString());
    collect(t.getCause(), out, seen);
    for (Throwable s : t.getSuppressed()) {
      collect(s, out, seen);
    }
  }

  /** Fails when anything {@code t} shows holds the secret. */
  static void assertClean(Throwable t, String secret) {
    for (String s : texts(t)) {
      assertClean(t.getClass().getSimpleName(), s, secret);
    }
  }

  /**
   * Captures every log record published while a test runs (all loggers, all levels, the test
   * server's own excepted) and, after the test, fails it when one holds a watched secret.
   */
  static final class Logs implements BeforeEachCallback, AfterEachCallback {
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> secrets = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Handler handler = new Handler() {
      private final SimpleFormatter f = new SimpleFormatter();

      @Override
      public void publish(LogRecord r) {
        if (r.getLoggerName() != null && r.getLoggerName().startsWith("mockwebserver3")) {
          return; // the test server, not the library
        }
        lines.add(f.format(r));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    private Level previous;

    /** Adds a secret to scan the logs for after the test. */
    void watch(String secret) {
      secrets.add(secret);
    }

    List<String> lines() {
      synchronized (lines) {
        return new ArrayList<>(lines);
      }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
      lines.clear();
      secrets.clear();
      Logger root = Logger.getLogger("");
      previous = root.getLevel();
      root.setLevel(Level.ALL);
      Logger.getLogger("dev.rerankers").setLevel(Level.ALL);
      Logger.getLogger("okhttp3").setLevel(Level.ALL);
      root.addHandler(handler);
    }

    @Override
    public void afterEach(ExtensionContext context) {
      Logger root = Logger.getLogger("");
      root.removeHandler(handler);
      root.setLevel(previous);
      Logger.getLogger("dev.rerankers").setLevel(null);
      Logger.getLogger("okhttp3").setLevel(null);
      for (String secret : secrets) {
        for (String line : lines()) {
          assertClean("a log record", line, secret);
        }
      }
    }
  }
}
