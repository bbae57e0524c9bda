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

  /** Synchronous: the windows' requests run one after the other on the calling thread. */
  @Override
  public Scores score(String query, List<Document> documents) {
    long deadline = System.nanoTime() + chat.engine().settings().timeout().toNanos();
    List<String> texts = texts(documents);
    State st = new State(identity(texts.size()), Usage.NONE);
    for (int[] w : SlidingWindow.windows(texts.size(), window, step)) {
      if (w[1] - w[0] >= 2) {
        ChatClient.Reply reply = chat.completeBlocking(prompt.messages(query, passages(st, texts, w)), deadline);
        st = apply(st, w, reply);
      }
    }
    return Scores.ranking(st.order()).withUsage(st.usage());
  }

  @Override
  public CompletableFuture<Scores> scoreAsync(String query, List<Document> documents, Executor executor) {
    return Futures.on(rankAll(query, documents), executor);
  }

  private record State(int[] order, Usage usage) {}

  private List<String> texts(List<Document> documents) {
    List<String> texts = new ArrayList<>(documents.size());
    for (Document d : documents) {
      texts.add(maxLength == null ? d.text() : TokenEstimator.truncate(d.text(), maxLength));
    }
    return texts;
  }

  private static int[] identity(int n) {
    int[] identity = new int[n];
    for (int i = 0; i < n; i++) {
      identity[i] = i;
    }
    return identity;
  }

  /** The texts of a window, in the current order. */
  private static List<String> passages(State st, List<String> texts, int[] w) {
    List<String> passages = new ArrayList<>(w[1] - w[0]);
    for (int i = w[0]; i < w[1]; i++) {
      passages.add(texts.get(st.order()[i]));
    }
    return passages;
  }

  /** The order after a window's reply. */
  private static State apply(State st, int[] w, ChatClient.Reply reply) {
    int[] perm = PermutationParser.parse(reply.content(), w[1] - w[0]);
    int[] next = st.order().clone();
    for (int j = 0; j < perm.length; j++) {
      next[w[0] + j] = st.order()[w[0] + perm[j]];
    }
    return new State(next, st.usage().plus(reply.usage()));
  }

  private CompletableFuture<Scores> rankAll(String query, List<Document> documents) {
    long deadline = System.nanoTime() + chat.engine().settings().timeout().toNanos();
    List<String> texts = texts(documents);
    AtomicReference<CompletableFuture<?>> inFlight = new AtomicReference<>();
    CompletableFuture<State> chain = CompletableFuture.completedFuture(new State(identity(texts.size()), Usage.NONE));
    for (int[] w : SlidingWindow.windows(texts.size(), window, step)) {
      if (w[1] - w[0] < 2) {
        continue;
      }
      chain = chain.thenCompose(st -> {
        CompletableFuture<ChatClient.Reply> call = chat.complete(prompt.messages(query, passages(st, texts, w)), deadline);
        inFlight.set(call);
        return call.thenApply(reply -> apply(st, w, reply));
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
