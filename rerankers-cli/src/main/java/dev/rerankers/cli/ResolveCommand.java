package dev.rerankers.cli;

import dev.rerankers.Credentials;
import dev.rerankers.Reranker;
import dev.rerankers.RerankerSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rerankers resolve}: what a config string means, without loading anything. */
@Command(
    name = "resolve",
    mixinStandardHelpOptions = true,
    header = "Show what a config string resolves to, loading nothing.",
    description = {
      "Shows what the library decides for a config string, loading and downloading nothing:",
      "  {\"model\": ..., \"type\": ..., \"provider\": ..., \"api_provider\": ..., \"options\": {...}}",
      "provider is the backend module that serves the type (null for an unknown type); secrets are masked",
      "(apiKey, hfToken, any option named like a key, token, secret or password: pc-L\u2026(38 chars))."
    })
final class ResolveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SPEC", description = "A config string, e.g. cross-encoder, colbert?lang=fr, cohere.")
  String configString;

  @Option(names = "--lang", paramLabel = "L", description = "The language for family defaults (overrides lang= in SPEC).")
  String lang;

  @Override
  public Integer call() {
    RerankerSpec resolved = Reranker.resolve(configString);
    if (lang != null) {
      resolved = resolved.toBuilder().lang(lang).resolve();
    }
    spec.commandLine().getOut().println(OneLineJson.write(describe(resolved)));
    return 0;
  }

  /** The spec as the resolve command prints it. */
  static Map<String, Object> describe(RerankerSpec s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model", s.model());
    out.put("type", s.type());
    out.put("provider", s.backend().orElse(null));
    out.put("api_provider", s.apiProvider().orElse(null));
    out.put("options", masked(s.options()));
    return out;
  }

  /** The options with every credential masked by core's one rule ({@link Credentials#maskOptions}). */
  static Map<String, String> masked(Map<String, String> options) {
    return new LinkedHashMap<>(Credentials.maskOptions(options));
  }
}
