package dev.rerankers.examples;

import dev.rerankers.Document;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerException;
import dev.rerankers.Result;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * A retrieval-augmented-generation front end in three steps: retrieve candidates with Apache Lucene
 * (BM25), rerank them with any {@link Reranker}, keep the best {@code k} for the LLM prompt.
 *
 * <pre>
 * java -cp rerankers-cli/target/rerankers.jar:examples/target/rerankers-examples.jar dev.rerankers.examples.RagPipelineExample [SPEC] [QUERY]
 * </pre>
 *
 * SPEC defaults to {@code dense} (the embedded ONNX bi-encoder of rerankers-flashrank).
 */
public final class RagPipelineExample {

  private RagPipelineExample() {}

  /** A tiny in-memory BM25 retriever over passages; ids are the passages' positions. */
  public static final class Retriever implements AutoCloseable {
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final List<String> passages;

    /** Indexes the passages. */
    public Retriever(List<String> passages) {
      this.passages = List.copyOf(passages);
      try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
        for (int i = 0; i < this.passages.size(); i++) {
          org.apache.lucene.document.Document doc = new org.apache.lucene.document.Document();
          doc.add(new StoredField("id", i));
          doc.add(new TextField("text", this.passages.get(i), Field.Store.NO));
          writer.addDocument(doc);
        }
        writer.commit();
        reader = DirectoryReader.open(directory);
      } catch (IOException e) {
        throw new RerankerException("indexing failed: " + e.getMessage(), e);
      }
      searcher = new IndexSearcher(reader); // BM25 is Lucene's default similarity
    }

    /** The best {@code n} passages for the query by BM25, as documents with their ids. */
    public List<Document> retrieve(String query, int n) {
      try {
        QueryParser parser = new QueryParser("text", analyzer);
        List<Document> out = new ArrayList<>();
        for (ScoreDoc sd : searcher.search(parser.parse(QueryParser.escape(query)), n).scoreDocs) {
          int id = searcher.storedFields().document(sd.doc).getField("id").numericValue().intValue();
          out.add(Document.of(id, passages.get(id)));
        }
        return out;
      } catch (IOException | ParseException e) {
        throw new RerankerException("retrieval failed: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      try (analyzer; directory; reader) {
        // closed in reverse order
      } catch (IOException e) {
        throw new RerankerException("closing the index failed", e);
      }
    }
  }

  /** Retrieve {@code candidates} passages with BM25, rerank them, return the best {@code k}. */
  public static List<Result> retrieveAndRerank(Retriever retriever, Reranker ranker, String query, int candidates, int k) {
    List<Document> retrieved = retriever.retrieve(query, candidates);
    if (retrieved.isEmpty()) {
      return List.of();
    }
    RankedResults reranked = ranker.rankDocuments(query, retrieved);
    return reranked.topK(k);
  }

  /** Passages the example runs on when none are given (written for this example). */
  static final List<String> PASSAGES = List.of(
      "The Eiffel Tower was completed in 1889 as the entrance arch to the World's Fair in Paris.",
      "Paris is the capital of France and its largest city, on the river Seine.",
      "The Great Wall of China is a series of fortifications built across northern China over many centuries.",
      "Mount Everest, on the border of Nepal and China, is Earth's highest mountain above sea level.",
      "Tower Bridge in London opened in 1894 and crosses the River Thames near the Tower of London.",
      "The Louvre in Paris is the world's most-visited art museum and home of the Mona Lisa.",
      "Gustave Eiffel's company designed and built the tower that carries his name.",
      "The Statue of Liberty, a gift from France, was dedicated in New York Harbor in 1886.");

  public static void main(String[] args) {
    String spec = args.length > 0 ? args[0] : "dense";
    String query = args.length > 1 ? args[1] : "Who built the tower in Paris?";
    try (Retriever retriever = new Retriever(PASSAGES);
        Reranker ranker = Reranker.load(spec)) {
      System.out.println("query: " + query);
      System.out.println("BM25 candidates:");
      for (Document d : retriever.retrieve(query, 5)) {
        System.out.println("  [" + d.id() + "] " + d.text());
      }
      System.out.println("after reranking with " + ranker.info().label() + ", top 3:");
      for (Result r : retrieveAndRerank(retriever, ranker, query, 5, 3)) {
        System.out.println(String.format(Locale.ROOT, "  %d. %.4f [%s] %s", r.rank(), r.score(), r.id(), r.text()));
      }
    }
  }
}
