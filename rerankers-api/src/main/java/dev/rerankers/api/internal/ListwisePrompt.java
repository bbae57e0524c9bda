package dev.rerankers.api.internal;

import java.util.List;

/** Builds the chat messages that ask a model to order one window of passages. */
interface ListwisePrompt {
  List<ChatClient.Message> messages(String query, List<String> passages);

  /** Cuts a passage to its first {@code maxWords} words (whitespace-separated), rejoined by single spaces. */
  static String firstWords(String text, int maxWords) {
    String[] words = text.strip().split("\\s+");
    if (words.length == 1 && words[0].isEmpty()) {
      return "";
    }
    return String.join(" ", words.length <= maxWords ? words : java.util.Arrays.copyOf(words, maxWords));
  }

  /** rank_llm's {@code _replace_number}: {@code [12]} becomes {@code (12)} so it cannot pass for an identifier. */
  static String replaceNumbers(String s) {
    return s.replaceAll("\\[(\\d+)\\]", "($1)");
  }
}
