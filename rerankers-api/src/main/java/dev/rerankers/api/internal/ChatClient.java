package dev.rerankers.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerankers.ConfigException;
import dev.rerankers.Credentials;
import dev.rerankers.Usage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;

/**
 * An OpenAI-compatible chat-completions client (OpenAI, vLLM, Ollama, LM Studio, llama.cpp,
 * LiteLLM proxies, ...) over the resilient {@link HttpEngine}: {@code POST .../chat/completions}
 * with {@code model, messages, temperature} (and {@code max_tokens} when set); the reply is {@code
 * choices[0].message.content}. Thread-safe.
 */
final class ChatClient {
  static final String OPENAI_URL = "https://api.openai.com/v1/chat/completions";

  /** One chat message. */
  record Message(String role, String content) {}

  /** The model's reply, the usage reported (plus requests made). */
  record Reply(String content, Usage usage) {}

  /**
   * What one load asked for.
   *
   * @param maxTokens {@code max_tokens}, or {@code null} to send none
   */
  record Settings(String model, double temperature, Integer maxTokens) {}

  private final HttpEngine engine;
  private final Settings settings;

  ChatClient(HttpEngine engine, Settings settings) {
    this.engine = engine;
    this.settings = settings;
  }

  HttpEngine engine() {
    return engine;
  }

  HttpUrl url() {
    return engine.url();
  }

  /**
   * The chat-completions endpoint for a {@code url} option: kept when it already ends in {@code
   * /chat/completions}; {@code /chat/completions} appended to a base ending in a version segment
   * ({@code http://localhost:11434/v1}); {@code /v1/chat/completions} appended to a bare host.
   */
  static HttpUrl endpoint(String url) {
    if (url == null) {
      return HttpUrl.get(OPENAI_URL);
    }
    HttpUrl u = HttpUrl.parse(url);
    if (u == null) {
      throw new ConfigException("url '" + Credentials.maskUrl(url) + "' is not an http(s) URL");
    }
    List<String> segs = u.pathSegments().stream().filter(s -> !s.isEmpty()).toList();
    int k = segs.size();
    if (k >= 2 && segs.get(k - 2).equals("chat") && segs.get(k - 1).equals("completions")) {
      return u;
    }
    HttpUrl.Builder b = u.newBuilder().encodedPath("/");
    for (String s : segs) {
      b.addPathSegment(s);
    }
    if (k == 0) {
      b.addPathSegment("v1");
    }
    return b.addPathSegment("chat").addPathSegment("completions").build();
  }

  /**
   * Sends the messages; completes with the reply or a typed exception.
   *
   * @param caller the waiting thread that sends the request itself, or {@code null} (see {@link HttpEngine#post})
   */
  CompletableFuture<Reply> complete(List<Message> messages, long deadlineNanos, CallerRuns caller) {
    return engine
        .post(body(messages), deadlineNanos, bytes -> parse(WireJson.parse(bytes)), caller)
        .thenApply(ChatClient::withRequests);
  }

  private static Reply withRequests(HttpEngine.Answer<Reply> a) {
    return new Reply(a.value().content(), a.value().usage().plus(Usage.of(Usage.REQUESTS, a.attempts())));
  }

  private byte[] body(List<Message> messages) {
    ObjectNode body = WireJson.object();
    body.put("model", settings.model());
    ArrayNode msgs = body.putArray("messages");
    for (Message m : messages) {
      msgs.addObject().put("role", m.role()).put("content", m.content());
    }
    body.put("temperature", settings.temperature());
    if (settings.maxTokens() != null) {
      body.put("max_tokens", settings.maxTokens());
    }
    return WireJson.bytes(body);
  }

  /** Reads {@code choices[0].message.content} (a string, or a list of text parts) and the usage. */
  static Reply parse(JsonNode root) {
    JsonNode choices = root.path("choices");
    if (!choices.isArray() || choices.isEmpty()) {
      throw new BadAnswer("the chat answer has no 'choices': " + Snippet.of(root.toString(), 160));
    }
    JsonNode message = choices.get(0).path("message");
    if (!message.isObject()) {
      throw new BadAnswer("choices[0] has no 'message' object: " + Snippet.of(choices.get(0).toString(), 160));
    }
    JsonNode content = message.path("content");
    String text;
    if (content.isTextual()) {
      text = content.asText();
    } else if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) {
        if (part.isTextual()) {
          sb.append(part.asText());
        } else if (part.path("text").isTextual()) {
          sb.append(part.path("text").asText());
        }
      }
      text = sb.toString();
    } else if (content.isNull() || content.isMissingNode()) {
      text = ""; // e.g. a refusal: the callers treat an empty reply as "no opinion"
    } else {
      throw new BadAnswer("choices[0].message.content is neither text nor a list of parts: " + Snippet.of(content.toString(), 80));
    }
    Usage usage = RerankProtocol.usage(root, List.of(
        Usage.TOKENS, "usage.total_tokens",
        "prompt_tokens", "usage.prompt_tokens",
        "completion_tokens", "usage.completion_tokens"));
    return new Reply(text, usage);
  }
}
