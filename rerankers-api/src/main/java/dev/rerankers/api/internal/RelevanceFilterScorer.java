package dev.rerankers.api.internal;

import dev.rerankers.Document;
import dev.rerankers.RerankerInfo;
import dev.rerankers.Usage;
import dev.rerankers.spi.Scores;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
final class RelevanceFilterScorer extends HttpScorer {
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

  /**
   * What one load asked for.
   *
   * @param template the prompt, holding {@code {query}} and {@code {docu_inputs}} (checked by the option's parser)
   * @param defaultRelevant whether an answer that cannot be read counts as RELEVANT
   * @param maxLength the approximate per-document token budget, or {@code null} for none
   */
  record Settings(String template, boolean defaultRelevant, int batchSize, Integer maxLength) {}

  private final ChatClient chat;
  private final Settings settings;

  RelevanceFilterScorer(ChatClient chat, Settings settings, RerankerInfo info) {
    super(chat.engine(), info);
    this.chat = chat;
    this.settings = settings;
  }

  /** The batches of {@code batchSize} documents go out concurrently, one prompt each (a lone one from the caller's thread). */
  @Override
  CompletableFuture<Scores> send(String query, List<Document> documents, CallerRuns caller) {
    long deadline = deadline();
    int n = documents.size();
    CallerRuns sender = n <= settings.batchSize() ? caller : null;
    List<CompletableFuture<ChatClient.Reply>> parts = new ArrayList<>();
    List<int[]> ranges = new ArrayList<>();
    for (int start = 0; start < n; start += settings.batchSize()) {
      int end = Math.min(n, start + settings.batchSize());
      List<String> texts = texts(documents, start, end, settings.maxLength());
      ranges.add(new int[] {start, end});
      parts.add(chat.complete(List.of(new ChatClient.Message("user", prompt(query, texts))), deadline, sender));
    }
    return FanOut.allOrFirstFailure(parts).thenApply(replies -> {
      double[] scores = new double[n];
      Usage usage = Usage.NONE;
      for (int k = 0; k < replies.size(); k++) {
        int[] r = ranges.get(k);
        double[] s = judge(replies.get(k).content(), r[1] - r[0], settings.defaultRelevant());
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
    Matcher m = PLACEHOLDER.matcher(settings.template());
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
}
