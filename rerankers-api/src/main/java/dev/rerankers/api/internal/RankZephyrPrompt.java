package dev.rerankers.api.internal;

import java.util.List;

/**
 * rank_llm's single-turn listwise prompt ({@code rank_zephyr_template.yaml}, used by RankZephyr and
 * RankVicuna): a system message, then one user message made of the prefix, one {@code "[i]
 * passage\n"} line per passage and the suffix. Passages are stripped, cut to {@code maxWords}
 * words, and {@code [n]} in them and in the query is rewritten as {@code (n)}. When the prompt
 * would not fit the model's context ({@code contextSize} minus the tokens of the expected answer),
 * passages are cut shorter the way rank_llm's {@code create_prompt} does, with token counts
 * estimated by {@link TokenEstimator} instead of the model's tokenizer. (rank_llm also runs ftfy's
 * {@code fix_text} over passages; this port does not.) Immutable.
 */
final class RankZephyrPrompt implements ListwisePrompt {
  static final String SYSTEM =
      "You are RankLLM, an intelligent assistant that can rank passages based on their relevancy to the query";

  private final int maxWords;
  private final int contextSize;

  RankZephyrPrompt(int maxWords, int contextSize) {
    this.maxWords = maxWords;
    this.contextSize = contextSize;
  }

  @Override
  public List<ChatClient.Message> messages(String query, List<String> passages) {
    int num = passages.size();
    int budget = contextSize - answerTokens(num);
    int words = maxWords;
    while (true) {
      List<ChatClient.Message> m = build(query, passages, words);
      int tokens = 0;
      for (ChatClient.Message msg : m) {
        tokens += TokenEstimator.count(msg.content()) + 4; // + role and separators
      }
      if (tokens <= budget || words <= 1) {
        return m;
      }
      words -= Math.max(1, (tokens - budget) / (num * 4));
      words = Math.max(1, words);
    }
  }

  private static List<ChatClient.Message> build(String query, List<String> passages, int words) {
    String q = ListwisePrompt.replaceNumbers(query);
    int num = passages.size();
    StringBuilder sb = new StringBuilder();
    sb.append("I will provide you with ").append(num)
        .append(" passages, each indicated by a numerical identifier []. Rank the passages based on their relevance to the search query: ")
        .append(q).append(".\n");
    int rank = 0;
    for (String p : passages) {
      rank++;
      sb.append('[').append(rank).append("] ")
          .append(ListwisePrompt.replaceNumbers(ListwisePrompt.firstWords(p, words))).append('\n');
    }
    sb.append("Search Query: ").append(q).append(".\nRank the ").append(num)
        .append(" passages above based on their relevance to the search query. All the passages should be included and listed using identifiers, in descending order of relevance. ")
        .append("The output format should be [] > [], e.g., [2] > [1], Answer concisely and directly and only respond with the ranking results, do not say any word or explain.");
    return List.of(new ChatClient.Message("system", SYSTEM), new ChatClient.Message("user", sb.toString()));
  }

  /** The estimated tokens of the expected answer, {@code "[1] > [2] > ... > [num]"}. */
  static int answerTokens(int num) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= num; i++) {
      if (i > 1) {
        sb.append(" > ");
      }
      sb.append('[').append(i).append(']');
    }
    return TokenEstimator.count(sb.toString());
  }
}
