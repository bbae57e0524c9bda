package dev.rerankers.spark;

import java.util.Locale;

/** What happens to a row that cannot be scored (empty text, too long for the model, image file missing). */
public enum OnError {
  /** The job fails with a message naming the row's query and document ids. The default. */
  FAIL,
  /** The row is kept with a {@code null} score and rank and the reason in the error column. */
  NULL;

  /** Parses {@code fail} or {@code null}, in any case. */
  public static OnError parse(String value) {
    if (value != null) {
      String v = value.strip().toLowerCase(Locale.ROOT);
      for (OnError e : values()) {
        if (e.toString().equals(v)) {
          return e;
        }
      }
    }
    throw new IllegalArgumentException("onError must be fail or null, got '" + value + "'");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
