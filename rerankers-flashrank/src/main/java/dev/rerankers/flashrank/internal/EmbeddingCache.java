package dev.rerankers.flashrank.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded least-recently-used map from a text's SHA-256 to its embedding, with hit, miss and
 * eviction counters. Capacity 0 keeps nothing. Thread-safe (one lock; lookups are cheap next to
 * inference). Stored vectors are never modified.
 */
public final class EmbeddingCache {
  /** A text's SHA-256, as four longs. */
  record Key(long a, long b, long c, long d) {}

  /** Counters since creation. */
  public record Stats(long hits, long misses, long evictions, int size, int capacity) {}

  private final int capacity;
  private final LinkedHashMap<Key, float[]> map;
  private long hits;
  private long misses;
  private long evictions;

  /** A cache holding at most {@code capacity} embeddings. */
  public EmbeddingCache(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
    }
    this.capacity = capacity;
    this.map = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, float[]> eldest) {
        if (size() > EmbeddingCache.this.capacity) {
          evictions++;
          return true;
        }
        return false;
      }
    };
  }

  /** The key of a text. */
  static Key key(String text) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      ByteBuffer b = ByteBuffer.wrap(h);
      return new Key(b.getLong(), b.getLong(), b.getLong(), b.getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The embedding for a key, counting a hit or a miss; null on a miss. */
  synchronized float[] get(Key key) {
    float[] v = capacity == 0 ? null : map.get(key);
    if (v == null) {
      misses++;
    } else {
      hits++;
    }
    return v;
  }

  /** Stores an embedding (ignored at capacity 0). */
  synchronized void put(Key key, float[] vector) {
    if (capacity > 0) {
      map.put(key, vector);
    }
  }

  /** The counters now. */
  public synchronized Stats stats() {
    return new Stats(hits, misses, evictions, map.size(), capacity);
  }

  /** Empties the cache (counters are kept). */
  public synchronized void clear() {
    map.clear();
  }
}
