package dev.rerankers.colbert.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Document token vectors by the SHA-256 of the document text, least recently used first out, held
 * under a byte budget (the float arrays plus a fixed overhead per entry). One cache belongs to one
 * loaded model, so the key need not name the model. Thread-safe.
 */
public final class DocumentCache {
  /** Bytes counted per entry beyond its vectors (key, entry object, map node). */
  static final long ENTRY_OVERHEAD = 128;

  /** A document text's 128-bit digest (the first half of SHA-256). */
  public record Key(long high, long low) {
    /** The key of a text. */
    public static Key of(String text) {
      MessageDigest sha;
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK must provide SHA-256", e);
      }
      ByteBuffer d = ByteBuffer.wrap(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
      return new Key(d.getLong(), d.getLong());
    }
  }

  /**
   * A document's vectors.
   *
   * @param length the document's token count before any set-dependent truncation
   * @param variant the input variant the vectors were computed for (see {@link LateInteractionRecipe#variants})
   * @param vectors kept vectors, row-major {@code [count, dim]}
   */
  public record Entry(int length, int variant, float[] vectors) {
    /** The bytes this entry is charged. */
    public long bytes() {
      return 4L * vectors.length + ENTRY_OVERHEAD;
    }
  }

  /**
   * What the cache holds.
   *
   * @param entries documents held
   * @param bytes bytes charged
   * @param capacityBytes the budget
   * @param evictions entries dropped to stay within the budget since loading
   */
  public record Stats(int entries, long bytes, long capacityBytes, long evictions) {}

  private final long capacityBytes;
  private final LinkedHashMap<Key, Entry> map = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;
  private long evictions;

  /** A cache holding at most {@code capacityBytes} (0 disables it). */
  public DocumentCache(long capacityBytes) {
    if (capacityBytes < 0) {
      throw new IllegalArgumentException("capacityBytes must be >= 0, got " + capacityBytes);
    }
    this.capacityBytes = capacityBytes;
  }

  /** The entry for a key (marking it recently used), or null. */
  public synchronized Entry get(Key key) {
    return map.get(key);
  }

  /** Stores an entry, replacing the key's previous one, then evicts the least recently used over budget. */
  public synchronized void put(Key key, Entry entry) {
    if (entry.bytes() > capacityBytes) {
      Entry old = map.remove(key);
      if (old != null) {
        bytes -= old.bytes();
      }
      return;
    }
    Entry old = map.put(key, entry);
    bytes += entry.bytes() - (old == null ? 0 : old.bytes());
    Iterator<Map.Entry<Key, Entry>> it = map.entrySet().iterator();
    while (bytes > capacityBytes && it.hasNext()) {
      Map.Entry<Key, Entry> eldest = it.next();
      if (eldest.getKey().equals(key)) {
        continue;
      }
      bytes -= eldest.getValue().bytes();
      it.remove();
      evictions++;
    }
  }

  /** Drops every entry. */
  public synchronized void clear() {
    map.clear();
    bytes = 0;
  }

  /** A snapshot of the counters. */
  public synchronized Stats stats() {
    return new Stats(map.size(), bytes, capacityBytes, evictions);
  }
}
