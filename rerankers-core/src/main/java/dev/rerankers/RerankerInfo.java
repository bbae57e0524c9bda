package dev.rerankers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Reranker} loaded: the model type (Python {@code model_type} names), the model id or
 * path, the backend module that runs it, and where relevant the device and dtype.
 *
 * @param type the model type, e.g. {@code "cross-encoder"}; for hosted APIs the provider name
 * @param model the model id or local path
 * @param backend the backend provider's name, e.g. {@code "transformers"} or {@code "api"}
 * @param device the device computations run on ({@code "cpu"}, {@code "gpu:0"}), or {@code null}
 *     for remote rankers
 * @param dtype the dtype computations run in ({@code "fp32"}), or {@code null}
 * @param details further backend facts worth showing (architecture, max length, endpoint, ...)
 */
public record RerankerInfo(
    String type,
    String model,
    String backend,
    String device,
    String dtype,
    Map<String, String> details) {

  public RerankerInfo {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(backend, "backend");
    details =
        details == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** A short label, {@code type:model}, used in {@link RankedResults#answeredBy()}. */
  public String label() {
    return type + ":" + model;
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder(type).append(':').append(model).append(" [backend=").append(backend);
    if (device != null) {
      sb.append(", device=").append(device);
    }
    if (dtype != null) {
      sb.append(", dtype=").append(dtype);
    }
    details.forEach((k, v) -> sb.append(", ").append(k).append('=').append(v));
    return sb.append(']').toString();
  }
}
