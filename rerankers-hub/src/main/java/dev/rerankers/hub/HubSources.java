package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.spi.CommonOptions;
import java.nio.file.Path;
import java.util.Map;

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
    // the spec's raw Hub options, read with the same declarations core checked them against
    spec.option(RerankerSpec.CACHE_DIR).map(CommonOptions.CACHE_DIR::parse).ifPresent(d -> b.cacheDir(Path.of(d)));
    spec.option(RerankerSpec.HF_TOKEN).ifPresent(b::token);
    spec.option(RerankerSpec.OFFLINE).map(CommonOptions.OFFLINE::parse).ifPresent(b::offline);
    spec.option(RerankerSpec.ALLOW_INSECURE).map(CommonOptions.ALLOW_INSECURE::parse).ifPresent(b::allowInsecure);
    String revision = spec.option(RerankerSpec.REVISION).map(CommonOptions.REVISION::parse).orElse("main");
    return b.build().model(model, revision); // a malformed revision is a ConfigException
  }
}
