package dev.rerankers.api.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.Document;
import dev.rerankers.RerankerInfo;
import dev.rerankers.Usage;
import dev.rerankers.spi.Scorer;
import dev.rerankers.spi.Scores;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Python library's {@code LLMRelevanceFilter}: the documents are put in one prompt as {@code
 * <document id=i>} blocks, the model explains and labels each RELEVANT or NOT_RELEVANT inside
 * {@code <answer>} tags; RELEVANT scores 1, anything else 0, so ties keep input order. As in
 * Python, a block whose answer cannot be read gets {@code defaultLabel} and a document missing from
 * the reply scores 0. Unlike Python, documents are sent {@code batchSize} at a time (default 20, in
 * concurrent requests) so that long lists do not overflow the model's output limit. Thread-safe.
 */
final class RelevanceFilterScorer implements Scorer {
  static final String DEFAULT_PROMPT_TEMPLATE = """
      <instructions>
      Think carefully about whether the following documents would be useful to answer the query.
      For each document, explain your reasoning and then provide a binary decision (RELEVANT or NOT_RELEVANT). If a document is partially relevant, you will assign the RELEVANT label.

      The documents will be given to you in the following format:

      <input>
      <query>
      Text of the query.
      </query>

      <documents>
      <document id=0>
      Text of the first document.
      </document>
      <document id=1>
      Text of the second document.
      </document>
      </documents>
      </input>
      And you will respond in the following format:

      <document id=X>
      <explanation>
      Your reasoning regarding the document's relevance.
      </explanation>
      <answer>
      RELEVANT or NOT_RELEVANT
      </answer>
      </document>
      </instructions>

      Here is the query and documents:

      <input>
      <query>
      {query}
      </query>

      <documents>
      {docu_inputs}
      </documents>
      </input>

      Analyse the above documents and provide your responses using the provided format. You must assign either the RELEVANT or NOT_RELEVANT label, no other option is permitted.""";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{|\\}\\}|\\{(query|docu_inputs)\\}");
  private static final Pattern BLOCK =
      Pattern.compile("<document\\s+id\\s*=\\s*[\"']?(\\d+)[\"']?\\s*>(.*?)</document>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
  private static final Pattern ANSWER =
      Pattern.compile("<answer>\\s*(RELEVANT|NOT_RELEVANT)\\s*</answer>", Pattern.CASE_INSENSITIVE);

  private final ChatClient chat;
  private final String template;
  private final boolean defaultRelevant;
  private final int batchSize;
  private final Integer maxLength;
  private final RerankerInfo info;

  RelevanceFilterScorer(
      ChatClient chat, String template, boolean defaultRelevant, int batchSize, Integer maxLength, RerankerInfo info) {
    this.chat = chat;
    this.template = checkTemplate(template);
    this.defaultRelevant = defaultRelevant;
    this.batchSize = batchSize;
    this.maxLength = maxLength;
    this.info = info;
  }

  static String checkTemplate(String t) {
    if (!t.contains("{query}") || !t.contains("{docu_inputs}")) {
      throw new ConfigException("promptTemplate must contain both {query} and {docu_inputs}");
    }
    return t;
  }

  /** Synchronous: one batch runs on the calling thread; several go out concurrently while the caller waits. */
  @Override
  public Scores score(String query, List<Document> documents) {
    if (documents.size() <= batchSize) {
      long deadline = System.nanoTime() + chat.engine().settings().timeout().toNanos();
      ChatClient.Reply reply = chat.completeBlocking(List.of(new ChatClient.Message("user", prompt(query, texts(documents, 0, documents.size())))), deadline);
      return Scores.of(judge(reply.content(), documents.size(), defaultRelevant)).withUsage(reply.usage());
    }
    return Futures.await(scoreAll(query, documents), info.type());
  }

  private List<String> texts(List<Document> documents, int start, int end) {
    List<String> texts = new ArrayList<>(end - start);
    for (int i = start; i < end; i++) {
      String t = documents.get(i).text();
      texts.add(maxLength == null ? t : TokenEstimator.truncate(t, maxLength));
    }
    return texts;
  }

  @Override
  public CompletableFuture<Scores> scoreAsync(String query, List<Document> documents, Executor executor) {
    return Futures.on(scoreAll(query, documents), executor);
  }

  private CompletableFuture<Scores> scoreAll(String query, List<Document> documents) {
    long deadline = System.nanoTime() + chat.engine().settings().timeout().toNanos();
    int n = documents.size();
    List<CompletableFuture<ChatClient.Reply>> parts = new ArrayList<>();
    List<int[]> ranges = new ArrayList<>();
    for (int start = 0; start < n; start += batchSize) {
      int end = Math.min(n, start + batchSize);
      List<String> texts = texts(documents, start, end);
      ranges.add(new int[] {start, end});
      parts.add(chat.complete(List.of(new ChatClient.Message("user", prompt(query, texts))), deadline));
    }
    return Futures.allOrFirstFailure(parts).thenApply(replies -> {
      double[] scores = new double[n];
      Usage usage = Usage.NONE;
      for (int k = 0; k < replies.size(); k++) {
        int[] r = ranges.get(k);
        double[] s = judge(replies.get(k).content(), r[1] - r[0], defaultRelevant);
        System.arraycopy(s, 0, scores, r[0], s.length);
        usage = usage.plus(replies.get(k).usage());
      }
      return Scores.of(scores).withUsage(usage);
    });
  }

  /** The prompt: the template with {@code {query}} and {@code {docu_inputs}} filled (and {@code {{ }}} unescaped, as Python's format). */
  String prompt(String query, List<String> texts) {
    StringBuilder docs = new StringBuilder();
    for (int i = 0; i < texts.size(); i++) {
      if (i > 0) {
        docs.append('\n');
      }
      docs.append("<document id=").append(i).append(">\n").append(texts.get(i)).append("\n</document>");
    }
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String g = m.group();
      String rep = g.equals("{{") ? "{" : g.equals("}}") ? "}" : m.group(1).equals("query") ? query : docs.toString();
      m.appendReplacement(out, Matcher.quoteReplacement(rep));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Scores 1/0 per document of a batch from the model's reply. */
  static double[] judge(String reply, int n, boolean defaultRelevant) {
    Map<Integer, Double> byId = new HashMap<>();
    Matcher b = BLOCK.matcher(reply == null ? "" : reply);
    while (b.find()) {
      int id;
      try {
        id = Integer.parseInt(b.group(1));
      } catch (NumberFormatException e) {
        continue;
      }
      Matcher a = ANSWER.matcher(b.group(2));
      boolean relevant = a.find() ? a.group(1).equalsIgnoreCase("RELEVANT") : defaultRelevant;
      byId.put(id, relevant ? 1.0 : 0.0); // as in Python, a later block for the same id wins
    }
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = byId.getOrDefault(i, 0.0);
    }
    return s;
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
    return "RelevanceFilterScorer[" + info + "]";
  }
}
