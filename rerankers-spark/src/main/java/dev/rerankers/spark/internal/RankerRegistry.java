package dev.rerankers.spark.internal;

import dev.rerankers.Credentials;
import dev.rerankers.Reranker;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One ranker per config string per JVM: an executor's task threads share it (every backend is
 * thread-safe), it is loaded by the first task that needs it and closed when the JVM exits.
 * Loading is not cached when it fails, so a retried task tries again.
 *
 * <p>Thread-safe. Not API.
 */
public final class RankerRegistry {
  private static final System.Logger LOG = System.getLogger(RankerRegistry.class.getName());
  private static final ConcurrentHashMap<String, Slot> SLOTS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(RankerRegistry::closeAll, "rerankers-spark-close"));
  }

  private RankerRegistry() {}

  /** The ranker for {@code spec}, loaded on first use; concurrent callers wait for one load. */
  public static Reranker get(String spec) {
    Slot slot = SLOTS.computeIfAbsent(spec, Slot::new);
    try {
      return slot.get();
    } catch (RuntimeException | Error e) {
      SLOTS.remove(spec, slot);
      throw e;
    }
  }

  /** How many rankers this JVM holds. */
  public static int size() {
    return SLOTS.size();
  }

  /** Closes every ranker (the shutdown hook); later calls to {@link #get} load again. */
  public static void closeAll() {
    List<Slot> slots = new ArrayList<>(SLOTS.values());
    SLOTS.clear();
    for (Slot s : slots) {
      s.close();
    }
  }

  private static final class Slot {
    private final String spec;
    private Reranker ranker;
    private boolean closed;

    Slot(String spec) {
      this.spec = spec;
    }

    synchronized Reranker get() {
      if (closed) {
        throw new IllegalStateException("the ranker for " + Credentials.maskConfigString(spec) + " was closed (JVM shutting down)");
      }
      if (ranker == null) {
        long t0 = System.nanoTime();
        ranker = Reranker.load(spec);
        LOG.log(Level.INFO, () -> String.format(Locale.ROOT, "loaded %s (%s) in %.1f s for this JVM",
            Credentials.maskConfigString(spec), ranker.info(), (System.nanoTime() - t0) / 1e9));
      }
      return ranker;
    }

    synchronized void close() {
      closed = true;
      if (ranker != null) {
        try {
          ranker.close();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "closing " + Credentials.maskConfigString(spec) + " failed: " + e.getMessage());
        }
        ranker = null;
      }
    }
  }
}
