package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Builds the Hub source for a spec: the {@code HF_*} environment, overridden by the spec's options. */
final class HubSources {
  private HubSources() {}

  static ModelSource remote(RerankerSpec spec) {
    return remote(spec, System.getenv(), System.getProperty("user.home", "."));
  }

  static HubRepo remote(RerankerSpec spec, Map<String, String> env, String userHome) {
    String model = spec.model();
    if (!HubNames.isRepoId(model)) {
      throw new ModelLoadException(
          "'"
              + RepoPaths.printable(model)
              + "' is neither an existing local folder nor a Hugging Face repo id ('org/name'):"
              + " check the path, or the id's spelling");
    }
    HubClient.Builder b = HubClient.builderFromEnvironment(env, userHome);
    Optional<String> cacheDir = spec.option(RerankerSpec.CACHE_DIR);
    if (cacheDir.isPresent()) {
      b.cacheDir(Path.of(cacheDir.get().strip()));
    }
    spec.option(RerankerSpec.HF_TOKEN).ifPresent(b::token);
    if (spec.option(RerankerSpec.OFFLINE).isPresent()) {
      b.offline(spec.booleanOption(RerankerSpec.OFFLINE, false));
    }
    if (spec.option(RerankerSpec.ALLOW_INSECURE).isPresent()) {
      b.allowInsecure(spec.booleanOption(RerankerSpec.ALLOW_INSECURE, false));
    }
    String revision = spec.option(RerankerSpec.REVISION).map(String::strip).orElse("main");
    return b.build().model(model, revision); // a malformed revision is a ConfigException
  }
}
