package dev.rerankers.api.internal;

import dev.rerankers.Document;
import dev.rerankers.RerankerInfo;
import dev.rerankers.Usage;
import dev.rerankers.spi.Scorer;
import dev.rerankers.spi.Scores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Listwise LLM ranking (RankGPT, RankLLM): the documents, in input order, are treated as the
 * first-stage ranking and reordered window by window from the bottom up ({@link SlidingWindow});
 * each window is one chat request whose reply is read by {@link PermutationParser}. Windows are
 * sequential (each starts from the previous one's order); a window of one document needs no
 * request. The answer is an ordering without scores. Thread-safe.
 */
final class ListwiseScorer implements Scorer {
  private final ChatClient chat;
  private final ListwisePrompt prompt;
  private final int window;
  private final int step;
  private final Integer maxLength;
  private final RerankerInfo info;
  private final String provider;

  ListwiseScorer(ChatClient chat, ListwisePrompt prompt, int window, int step, Integer maxLength, RerankerInfo info) {
    this.chat = chat;
    this.prompt = prompt;
    this.window = window;
    this.step = step;
    this.maxLength = maxLength;
    this.info = info;
    this.provider = info.type();
  }

  @Override
  public Scores score(String query, List<Document> documents) {
    return Futures.await(rankAll(query, documents), provider);
  }

  @Override
  public CompletableFuture<Scores> scoreAsync(String query, List<Document> documents, Executor executor) {
    return Futures.on(rankAll(query, documents), executor);
  }

  private record State(int[] order, Usage usage) {}

  private CompletableFuture<Scores> rankAll(String query, List<Document> documents) {
    long deadline = System.nanoTime() + chat.engine().settings().timeout().toNanos();
    int n = documents.size();
    List<String> texts = new ArrayList<>(n);
    for (Document d : documents) {
      texts.add(maxLength == null ? d.text() : TokenEstimator.truncate(d.text(), maxLength));
    }
    int[] identity = new int[n];
    for (int i = 0; i < n; i++) {
      identity[i] = i;
    }
    AtomicReference<CompletableFuture<?>> inFlight = new AtomicReference<>();
    CompletableFuture<State> chain = CompletableFuture.completedFuture(new State(identity, Usage.NONE));
    for (int[] w : SlidingWindow.windows(n, window, step)) {
      int s = w[0];
      int e = w[1];
      if (e - s < 2) {
        continue;
      }
      chain = chain.thenCompose(st -> {
        List<String> passages = new ArrayList<>(e - s);
        for (int i = s; i < e; i++) {
          passages.add(texts.get(st.order()[i]));
        }
        CompletableFuture<ChatClient.Reply> call = chat.complete(prompt.messages(query, passages), deadline);
        inFlight.set(call);
        return call.thenApply(reply -> {
          int[] perm = PermutationParser.parse(reply.content(), e - s);
          int[] next = st.order().clone();
          for (int j = 0; j < perm.length; j++) {
            next[s + j] = st.order()[s + perm[j]];
          }
          return new State(next, st.usage().plus(reply.usage()));
        });
      });
    }
    CompletableFuture<Scores> result = chain.thenApply(st -> Scores.ranking(st.order()).withUsage(st.usage()));
    result.whenComplete((v, err) -> {
      CompletableFuture<?> c = inFlight.get();
      if (err != null && c != null) {
        c.cancel(true);
      }
    });
    return result;
  }

  @Override
  public RerankerInfo info() {
    return info;
  }

  @Override
  public void close() {
    chat.engine().close();
  }

  @Override
  public String toString() {
    return "ListwiseScorer[" + info + "]";
  }
}
