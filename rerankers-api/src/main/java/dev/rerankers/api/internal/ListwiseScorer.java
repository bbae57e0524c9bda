package dev.rerankers.api.internal;

import dev.rerankers.Document;
import dev.rerankers.RerankerInfo;
import dev.rerankers.Usage;
import dev.rerankers.spi.Scores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Listwise LLM ranking (RankGPT, RankLLM): the documents, in input order, are treated as the
 * first-stage ranking and reordered window by window from the bottom up ({@link SlidingWindow});
 * each window is one chat request whose reply is read by {@link PermutationParser}. Windows are
 * sequential (each starts from the previous one's order); a window of one document needs no
 * request. The answer is an ordering without scores. Thread-safe.
 */
final class ListwiseScorer extends HttpScorer {

  /**
   * What one load asked for.
   *
   * @param step at most {@code window}
   * @param maxLength the approximate per-passage token budget, or {@code null} for none
   */
  record Settings(int window, int step, Integer maxLength) {}

  private final ChatClient chat;
  private final ListwisePrompt prompt;
  private final Settings settings;

  ListwiseScorer(ChatClient chat, ListwisePrompt prompt, Settings settings, RerankerInfo info) {
    super(chat.engine(), info);
    this.chat = chat;
    this.prompt = prompt;
    this.settings = settings;
  }

  private record State(int[] order, Usage usage) {}

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

  /** The windows one after the other, each request sent when the previous reply is in (from the caller's thread for {@code score}). */
  @Override
  CompletableFuture<Scores> send(String query, List<Document> documents, CallerRuns caller) {
    long deadline = deadline();
    List<String> texts = texts(documents, 0, documents.size(), settings.maxLength());
    AtomicReference<CompletableFuture<?>> inFlight = new AtomicReference<>();
    CompletableFuture<State> chain = CompletableFuture.completedFuture(new State(identity(texts.size()), Usage.NONE));
    for (int[] w : SlidingWindow.windows(texts.size(), settings.window(), settings.step())) {
      if (w[1] - w[0] < 2) {
        continue;
      }
      chain = chain.thenCompose(st -> {
        CompletableFuture<ChatClient.Reply> call = chat.complete(prompt.messages(query, passages(st, texts, w)), deadline, caller);
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
}
