package dev.rerankers.spark.internal;

import dev.rerankers.ApiException;
import dev.rerankers.Document;
import dev.rerankers.InferenceException;
import dev.rerankers.RankRequest;
import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.Result;
import dev.rerankers.spark.OnError;
import dev.rerankers.spark.RerankOptions;
import dev.rerankers.spark.RerankRowException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Scores one partition whose rows are sorted by (query id, input position): reads consecutive rows
 * of a query as one request, gathers requests until {@code batchPairs} pairs, ranks them with one
 * {@link Reranker#rankAll} call (pointwise backends share forward passes across the queries) and
 * emits each query's rows in rank order, then its failed rows in input order. Reads and emits
 * lazily, one chunk at a time.
 *
 * <p>Rows that cannot be scored are found before scoring (empty query or text, missing image file,
 * a query text that differs within its query id) or by the ranker: when a call fails with a
 * per-input error ({@link IllegalArgumentException}, {@link InferenceException}, a non-retriable
 * {@link ApiException}), the chunk's queries are ranked one by one, and a failing query's documents
 * one at a time, so only the rows that fail alone are marked. Any other exception (a retriable API
 * failure, a lost model) fails the task, and Spark retries it.
 *
 * <p>Not API.
 */
public final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final RerankOptions o;
  private final int qid;
  private final int query;
  private final int docId;
  private final int text;
  private final int image;
  private final int[] kept;

  /**
   * @param input the partition's schema, {@link RerankPlan#POSITION} included
   * @param keepPosition whether the output keeps {@link RerankPlan#POSITION}
   */
  PartitionScorer(RerankOptions o, StructType input, boolean keepPosition) {
    this.o = o;
    this.qid = input.fieldIndex(o.queryIdCol());
    this.query = input.fieldIndex(o.queryCol());
    this.docId = input.fieldIndex(o.docIdCol());
    this.text = input.fieldIndex(o.textCol());
    this.image = o.imageCol() == null ? -1 : input.fieldIndex(o.imageCol());
    int position = input.fieldIndex(RerankPlan.POSITION);
    int[] k = new int[input.size()];
    int n = 0;
    for (int i = 0; i < input.size(); i++) {
      if (i != position || keepPosition) {
        k[n++] = i;
      }
    }
    this.kept = Arrays.copyOf(k, n);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return Collections.emptyIterator(); // an empty partition never loads the model
    }
    return new Scoring(rows, RankerRegistry.get(o.spec()));
  }

  /** Whether a ranker's exception is about its input (so isolating rows can find the culprit). */
  static boolean rowLevel(RuntimeException e) {
    if (e instanceof ApiException api) {
      return !api.isRetriable();
    }
    return e instanceof IllegalArgumentException || e instanceof InferenceException
        || e instanceof UnsupportedOperationException;
  }

  private static String reason(RuntimeException e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** One query's rows, their validation errors and the documents sent for the valid ones. */
  private static final class Group {
    final List<Row> rows;
    final String[] errors;
    final List<Document> docs = new ArrayList<>();
    String queryText;
    List<Result> ranked = List.of();

    Group(List<Row> rows) {
      this.rows = rows;
      this.errors = new String[rows.size()];
    }
  }

  private final class Scoring implements Iterator<Row> {
    private final Iterator<Row> in;
    private final Reranker ranker;
    private final ArrayDeque<Row> out = new ArrayDeque<>();
    private Row pending;

    Scoring(Iterator<Row> in, Reranker ranker) {
      this.in = in;
      this.ranker = ranker;
    }

    @Override
    public boolean hasNext() {
      while (out.isEmpty() && (pending != null || in.hasNext())) {
        scoreNextChunk();
      }
      return !out.isEmpty();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return out.poll();
    }

    private void scoreNextChunk() {
      List<Group> groups = new ArrayList<>();
      int pairs = 0;
      while (pairs < o.batchPairs()) {
        List<Row> rows = nextQueryRows();
        if (rows == null) {
          break;
        }
        Group g = validate(rows);
        groups.add(g);
        pairs += g.docs.size();
      }
      List<Group> scored = new ArrayList<>();
      List<RankRequest> requests = new ArrayList<>();
      for (Group g : groups) {
        if (!g.docs.isEmpty()) {
          scored.add(g);
          requests.add(new RankRequest(g.queryText, g.docs));
        }
      }
      rank(scored, requests);
      for (Group g : groups) {
        emit(g);
      }
    }

    /** The next run of rows sharing a query id, or null at the end of the partition. */
    private List<Row> nextQueryRows() {
      Row first = pending;
      pending = null;
      if (first == null) {
        if (!in.hasNext()) {
          return null;
        }
        first = in.next();
      }
      Object key = first.get(qid);
      List<Row> rows = new ArrayList<>();
      rows.add(first);
      while (in.hasNext()) {
        Row r = in.next();
        if (key != null && Objects.equals(r.get(qid), key)) {
          rows.add(r);
        } else {
          pending = r;
          break;
        }
      }
      return rows;
    }

    private Group validate(List<Row> rows) {
      Group g = new Group(rows);
      for (Row r : rows) {
        String q = r.isNullAt(query) ? null : r.getString(query);
        if (q != null && !q.isBlank()) {
          g.queryText = q;
          break;
        }
      }
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        String error = null;
        String q = r.isNullAt(query) ? null : r.getString(query);
        String t = r.isNullAt(text) ? null : r.getString(text);
        String img = image < 0 || r.isNullAt(image) ? null : r.getString(image);
        Path imagePath = null;
        if (r.isNullAt(qid)) {
          error = "query id is null";
        } else if (q == null || q.isBlank()) {
          error = "query is empty";
        } else if (!q.equals(g.queryText)) {
          error = "its query text differs from the first row of query id " + r.get(qid);
        } else if (img != null) {
          try {
            imagePath = Path.of(img);
            if (!Files.isRegularFile(imagePath) || !Files.isReadable(imagePath)) {
              error = "image file not found or not readable: " + img;
            }
          } catch (InvalidPathException e) {
            error = "image path is not a valid path: " + e.getMessage();
          }
        } else if (t == null || t.isBlank()) {
          error = "text is empty";
        }
        if (error != null) {
          fail(r, error, null);
          g.errors[i] = error;
        } else {
          g.docs.add(new Document(i, t, null, imagePath == null ? null : Document.Image.fromPath(imagePath)));
        }
      }
      return g;
    }

    private void rank(List<Group> groups, List<RankRequest> requests) {
      if (requests.isEmpty()) {
        return;
      }
      try {
        List<RankedResults> results = ranker.rankAll(requests);
        for (int i = 0; i < groups.size(); i++) {
          groups.get(i).ranked = results.get(i).results();
        }
        return;
      } catch (RuntimeException e) {
        if (!rowLevel(e)) {
          throw e;
        }
      }
      for (int i = 0; i < groups.size(); i++) {
        rankAlone(groups.get(i), requests.get(i));
      }
    }

    /** Ranks one query after its chunk failed; if it fails too, scores its documents one at a time. */
    private void rankAlone(Group g, RankRequest request) {
      try {
        g.ranked = ranker.rankDocuments(request.query(), request.documents()).results();
        return;
      } catch (RuntimeException e) {
        if (!rowLevel(e)) {
          throw e;
        }
      }
      List<Result> singles = new ArrayList<>();
      for (Document d : request.documents()) {
        int i = (Integer) d.id();
        try {
          singles.add(ranker.rankDocuments(request.query(), List.of(d)).get(0));
        } catch (RuntimeException e) {
          if (!rowLevel(e)) {
            throw e;
          }
          fail(g.rows.get(i), reason(e), e);
          g.errors[i] = reason(e);
        }
      }
      // Re-rank the survivors among themselves: by score, ties (and unscored ones) in input order.
      Comparator<Result> byScore = Comparator.comparing(
          (Result r) -> r.score() == null ? Double.NEGATIVE_INFINITY : r.score()).reversed();
      List<Result> sorted = new ArrayList<>(singles);
      sorted.sort(byScore.thenComparing(r -> (Integer) r.id()));
      List<Result> ranked = new ArrayList<>(sorted.size());
      for (int k = 0; k < sorted.size(); k++) {
        ranked.add(new Result(sorted.get(k).document(), sorted.get(k).score(), k + 1));
      }
      g.ranked = ranked;
    }

    private void emit(Group g) {
      for (Result r : g.ranked) {
        if (o.topK() > 0 && r.rank() > o.topK()) {
          continue;
        }
        out.add(output(g.rows.get((Integer) r.id()), r.score(), r.rank(), null));
      }
      for (int i = 0; i < g.rows.size(); i++) {
        if (g.errors[i] != null) {
          out.add(output(g.rows.get(i), null, null, g.errors[i]));
        }
      }
    }

    private Row output(Row in, Double score, Integer rank, String error) {
      boolean withError = o.onError() == OnError.NULL;
      Object[] values = new Object[kept.length + (withError ? 3 : 2)];
      for (int i = 0; i < kept.length; i++) {
        values[i] = in.get(kept[i]);
      }
      values[kept.length] = score;
      values[kept.length + 1] = rank;
      if (withError) {
        values[kept.length + 2] = error;
      }
      return RowFactory.create(values);
    }

    /** With onError=fail, stops the task naming the row; otherwise returns. */
    private void fail(Row r, String error, RuntimeException cause) {
      if (o.onError() != OnError.FAIL) {
        return;
      }
      String message = "cannot score the row with " + o.queryIdCol() + "=" + r.get(qid) + ", " + o.docIdCol() + "="
          + r.get(docId) + ": " + error + " (with onError=null such rows are kept with a null score and the reason in"
          + " column '" + o.errorCol() + "')";
      throw cause == null ? new RerankRowException(message) : new RerankRowException(message, cause);
    }
  }
}
