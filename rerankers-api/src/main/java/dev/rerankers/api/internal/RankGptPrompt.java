package dev.rerankers.api.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * RankGPT's multi-turn prompt (Sun et al., as in the Python rerankers' {@code rankgpt_rankers.py}):
 * a system message, the instruction, then one user/assistant exchange per passage ({@code "[i]
 * text"} / {@code "Received passage [i]."}) and the final instruction asking for {@code "[] > []"}.
 * Passages lose {@code "Title: Content: "}, are stripped and cut to {@code maxWords} words, or to
 * {@code maxWords} characters for Chinese and Japanese.
 *
 * <p>The {@code rankLlm} variant is rank_llm's {@code rank_gpt_template.yaml}: the same turns, a
 * newline without a space before it in the instructions, and {@code [n]} in the query and
 * passages rewritten as {@code (n)}. Immutable.
 */
final class RankGptPrompt implements ListwisePrompt {
  static final String SYSTEM =
      "You are RankGPT, an intelligent assistant that can rank passages based on their relevancy to the query.";

  private final int maxWords;
  private final boolean cutByCharacters;
  private final boolean rankLlm;

  RankGptPrompt(int maxWords, String lang, boolean rankLlm) {
    this.maxWords = maxWords;
    this.cutByCharacters = lang.equals("zh") || lang.equals("ja");
    this.rankLlm = rankLlm;
  }

  @Override
  public List<ChatClient.Message> messages(String query, List<String> passages) {
    String q = rankLlm ? ListwisePrompt.replaceNumbers(query) : query;
    int num = passages.size();
    List<ChatClient.Message> m = new ArrayList<>(2 * num + 4);
    m.add(new ChatClient.Message("system", SYSTEM));
    m.add(new ChatClient.Message("user",
        "I will provide you with " + num + " passages, each indicated by number identifier []."
            + (rankLlm ? "\n" : " \n")
            + "Rank the passages based on their relevance to query: " + q + "."));
    m.add(new ChatClient.Message("assistant", "Okay, please provide the passages."));
    int rank = 0;
    for (String p : passages) {
      rank++;
      m.add(new ChatClient.Message("user", "[" + rank + "] " + content(p)));
      m.add(new ChatClient.Message("assistant", "Received passage [" + rank + "]."));
    }
    m.add(new ChatClient.Message("user",
        "Search Query: " + q + "." + (rankLlm ? "\n" : " \n") + "Rank the " + num + " passages above based on their relevance to the search query. "
            + "The passages should be listed in descending order using identifiers. The most relevant passages should be listed first. "
            + "The output format should be [] > [], e.g., [1] > [2]. Only response the ranking results, do not say any word or explain."));
    return m;
  }

  private String content(String passage) {
    if (rankLlm) {
      return ListwisePrompt.replaceNumbers(ListwisePrompt.firstWords(passage, maxWords));
    }
    String c = passage.replace("Title: Content: ", "").strip();
    if (cutByCharacters) {
      return c.codePointCount(0, c.length()) <= maxWords ? c : c.substring(0, c.offsetByCodePoints(0, maxWords));
    }
    return ListwisePrompt.firstWords(c, maxWords);
  }
}
