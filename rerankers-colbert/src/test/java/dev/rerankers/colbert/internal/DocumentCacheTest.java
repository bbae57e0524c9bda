package dev.rerankers.colbert.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DocumentCacheTest {

  static DocumentCache.Entry entry(int floats) {
    return new DocumentCache.Entry(floats, 0, new float[floats]);
  }

  @Test
  void should_key_by_text_digest() {
    assertThat(DocumentCache.Key.of("a")).isEqualTo(DocumentCache.Key.of("a"));
    assertThat(DocumentCache.Key.of("a")).isNotEqualTo(DocumentCache.Key.of("a "));
    assertThat(DocumentCache.Key.of("")).isNotEqualTo(DocumentCache.Key.of(" "));
  }

  @Test
  void should_evict_least_recently_used_entries_beyond_the_budget() {
    long each = entry(100).bytes();
    DocumentCache c = new DocumentCache(3 * each);
    var a = DocumentCache.Key.of("a");
    var b = DocumentCache.Key.of("b");
    var d = DocumentCache.Key.of("d");
    var e = DocumentCache.Key.of("e");
    c.put(a, entry(100));
    c.put(b, entry(100));
    c.put(d, entry(100));
    assertThat(c.get(a)).isNotNull(); // a is now the most recently used; b the least
    c.put(e, entry(100));
    assertThat(c.get(b)).isNull();
    assertThat(c.get(a)).isNotNull();
    assertThat(c.get(d)).isNotNull();
    assertThat(c.stats()).isEqualTo(new DocumentCache.Stats(3, 3 * each, 3 * each, 1));
  }

  @Test
  void should_replace_an_entry_and_refuse_one_larger_than_the_budget() {
    DocumentCache c = new DocumentCache(entry(100).bytes());
    var a = DocumentCache.Key.of("a");
    c.put(a, entry(10));
    c.put(a, new DocumentCache.Entry(7, 3, new float[20]));
    assertThat(c.get(a).variant()).isEqualTo(3);
    assertThat(c.stats().bytes()).isEqualTo(new DocumentCache.Entry(7, 3, new float[20]).bytes());
    c.put(a, entry(1000)); // too large: dropped, and the old one with it
    assertThat(c.get(a)).isNull();
    assertThat(c.stats().bytes()).isZero();
    DocumentCache off = new DocumentCache(0);
    off.put(a, entry(1));
    assertThat(off.get(a)).isNull();
    c.put(a, entry(10));
    c.clear();
    assertThat(c.stats().entries()).isZero();
    assertThatThrownBy(() -> new DocumentCache(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
