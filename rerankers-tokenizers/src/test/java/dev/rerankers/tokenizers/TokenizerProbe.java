package dev.rerankers.tokenizers;

import dev.rerankers.RerankerException;
import dev.rerankers.testing.UnusualText;
import java.nio.file.Path;

/**
 * Child-JVM side of {@link HostileTokenizerCorpusTest}: for each folder argument, loads its
 * tokenizer and encodes unusual documents, printing one line per folder: {@code OK name}, {@code
 * TYPED name Class: message} or {@code UNTYPED name Class: message}. A native abort ends the
 * process; the parent sees the exit status and the last {@code START} line.
 */
public final class TokenizerProbe {
  private TokenizerProbe() {}

  public static void main(String[] args) {
    for (String arg : args) {
      Path dir = Path.of(arg);
      String name = dir.getFileName().toString();
      System.out.println("START " + name);
      System.out.flush();
      try (HfTokenizer tok = HfTokenizer.load(dir)) {
        for (String doc : UnusualText.DOCUMENTS) {
          tok.encodePair("what is ☃?", doc);
          tok.encode(doc);
        }
        tok.encodePairs("what is ☃?", UnusualText.DOCUMENTS);
        tok.encodePairs("q", java.util.Collections.nCopies(40, UnusualText.DOCUMENT));
        tok.encodeBatch(UnusualText.DOCUMENTS);
        System.out.println("OK " + name);
      } catch (RerankerException e) {
        System.out.println("TYPED " + name + " " + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()));
      } catch (Throwable e) {
        System.out.println("UNTYPED " + name + " " + e.getClass().getName() + ": " + oneLine(e.getMessage()));
      }
      System.out.flush();
    }
    System.out.println("ALIVE");
  }

  static String oneLine(String s) {
    return s == null ? "null" : s.replace('\n', ' ').replace('\r', ' ');
  }
}
