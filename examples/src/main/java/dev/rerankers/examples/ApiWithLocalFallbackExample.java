package dev.rerankers.examples;

import dev.rerankers.RankedResults;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerException;
import java.util.List;

/**
 * A hosted API first and a local model behind it: {@link Reranker#withFallback} answers with the
 * local ranker whenever the API fails (outage, rate limit, timeout), and {@link
 * RankedResults#answeredBy()} says which one answered.
 *
 * <pre>
 * COHERE_API_KEY=... java -cp rerankers-cli/target/rerankers.jar:examples/target/rerankers-examples.jar \
 *     dev.rerankers.examples.ApiWithLocalFallbackExample [API_SPEC] [LOCAL_SPEC]
 * </pre>
 *
 * Defaults: {@code cohere} first, {@code flashrank} (a local ONNX model) behind it.
 */
public final class ApiWithLocalFallbackExample {

  private ApiWithLocalFallbackExample() {}

  /**
   * The API ranker with the local one behind it. When the API ranker cannot even be created (no
   * key, backend missing), the local ranker is returned alone and the reason is reported to {@code
   * onUnavailable}.
   */
  public static Reranker build(String apiSpec, String localSpec, java.util.function.Consumer<String> onUnavailable) {
    Reranker local = Reranker.load(localSpec);
    try {
      return Reranker.withFallback(Reranker.load(apiSpec), local);
    } catch (RerankerException e) {
      onUnavailable.accept(apiSpec + " is unavailable (" + e.getMessage().lines().findFirst().orElse("") + ")");
      return local;
    }
  }

  public static void main(String[] args) {
    String api = args.length > 0 ? args[0] : "cohere";
    String local = args.length > 1 ? args[1] : "flashrank";
    try (Reranker ranker = build(api, local, reason -> System.err.println(reason + "; using " + local + " alone"))) {
      RankedResults results = ranker.rank(
          "How do I keep my sourdough starter alive?",
          List.of(
              "Feed the starter flour and water every day, or keep it in the fridge and feed it weekly.",
              "Sourdough bread has a tangy flavour from lactic acid bacteria.",
              "A kettle boils water faster than a pan on the stove."));
      System.out.println("answered by " + results.answeredBy());
      System.out.println(results);
    }
  }
}
