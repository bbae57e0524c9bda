package dev.rerankers.cli.eval;

import dev.rerankers.RerankerException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * A BM25 first stage over an in-memory Apache Lucene index, set up as Anserini's BEIR "flat"
 * baselines are: one field holding {@code title + " " + text}, Lucene's {@link EnglishAnalyzer}
 * (standard tokenizer, possessive removal, lower-casing, English stop words, Porter stemming) and
 * {@link BM25Similarity} with {@code k1 = 0.9}, {@code b = 0.4}. A query is a bag of its analysed
 * terms, each weighted by how often it occurs in the query.
 *
 * <p>Thread-safe for searching once built. Close it to free the index.
 */
public final class Bm25Index implements AutoCloseable {
  /** Anserini's BM25 {@code k1} for BEIR. */
  public static final float DEFAULT_K1 = 0.9f;
  /** Anserini's BM25 {@code b} for BEIR. */
  public static final float DEFAULT_B = 0.4f;

  private static final System.Logger LOG = System.getLogger(Bm25Index.class.getName());
  private static final String ID = "id";
  private static final String CONTENTS = "contents";

  private final Analyzer analyzer;
  private final ByteBuffersDirectory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;

  private Bm25Index(Analyzer analyzer, ByteBuffersDirectory directory, DirectoryReader reader, BM25Similarity sim) {
    this.analyzer = analyzer;
    this.directory = directory;
    this.reader = reader;
    this.searcher = new IndexSearcher(reader);
    this.searcher.setSimilarity(sim);
  }

  /** A search hit. */
  public record Hit(String id, double score) {}

  /** Indexes the documents with Anserini's BEIR parameters. */
  public static Bm25Index build(Collection<CorpusDoc> docs) {
    return build(docs, DEFAULT_K1, DEFAULT_B);
  }

  /** Indexes the documents with the given BM25 parameters. */
  public static Bm25Index build(Collection<CorpusDoc> docs, float k1, float b) {
    BM25Similarity sim = new BM25Similarity(k1, b);
    Analyzer analyzer = new EnglishAnalyzer();
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    try {
      IndexWriterConfig config = new IndexWriterConfig(analyzer).setSimilarity(sim);
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (CorpusDoc d : docs) {
          Document doc = new Document();
          doc.add(new StringField(ID, d.id(), Field.Store.YES));
          doc.add(new TextField(CONTENTS, d.fullText(), Field.Store.NO));
          writer.addDocument(doc);
        }
        writer.forceMerge(1);
      }
      return new Bm25Index(analyzer, dir, DirectoryReader.open(dir), sim);
    } catch (IOException e) {
      analyzer.close();
      throw new RerankerException("building the in-memory BM25 index failed", e);
    }
  }

  /** The best {@code depth} documents for the query, best first (empty when no term matches). */
  public List<Hit> search(String query, int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be >= 1, got " + depth);
    }
    Query q = bagOfWords(query);
    if (q == null) {
      return List.of();
    }
    try {
      TopDocs top = searcher.search(q, depth);
      StoredFields stored = searcher.storedFields();
      List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
      for (ScoreDoc sd : top.scoreDocs) {
        hits.add(new Hit(stored.document(sd.doc).get(ID), sd.score));
      }
      return hits;
    } catch (IOException e) {
      throw new RerankerException("searching the in-memory BM25 index failed", e);
    }
  }

  /** The number of indexed documents. */
  public int size() {
    return reader.numDocs();
  }

  private Query bagOfWords(String text) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    try (TokenStream ts = analyzer.tokenStream(CONTENTS, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        counts.merge(term.toString(), 1, Integer::sum);
      }
      ts.end();
    } catch (IOException e) {
      throw new RerankerException("analysing the query failed", e);
    }
    if (counts.isEmpty()) {
      return null;
    }
    int max = IndexSearcher.getMaxClauseCount();
    if (counts.size() > max) {
      LOG.log(System.Logger.Level.WARNING, "query has {0} distinct terms; using the first {1}", counts.size(), max);
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    int n = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (n++ == max) {
        break;
      }
      Query tq = new TermQuery(new Term(CONTENTS, e.getKey()));
      b.add(e.getValue() == 1 ? tq : new BoostQuery(tq, e.getValue()), BooleanClause.Occur.SHOULD);
    }
    return b.build();
  }

  @Override
  public void close() {
    try (analyzer; directory; reader) {
      // closes reader, directory, analyzer in that order
    } catch (IOException e) {
      throw new RerankerException("closing the in-memory BM25 index failed", e);
    }
  }
}
