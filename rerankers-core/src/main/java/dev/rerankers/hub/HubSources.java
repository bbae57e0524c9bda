package dev.rerankers.hub;

import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerSpec;

/** Creates Hub-backed sources. The Hub client is not implemented yet (issue: model hub). */
final class HubSources {
  private HubSources() {}

  static ModelSource remote(RerankerSpec spec) {
    throw new ModelLoadException(
        "'"
            + spec.model()
            + "' is not a local folder, and downloading from the Hugging Face Hub is not implemented yet;"
            + " download the model and pass its folder path");
  }
}
