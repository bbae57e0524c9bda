package dev.rerankers;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Which module serves each built-in model type, so a missing backend can be named precisely even
 * though core never imports one.
 */
final class BuiltInBackends {

  /** A backend module: its artifactId and its provider's name. */
  record Module(String artifactId, String backend) {}

  private static final Module TRANSFORMERS = new Module("rerankers-transformers", "transformers");
  private static final Module API = new Module("rerankers-api", "api");
  private static final Module FLASHRANK = new Module("rerankers-flashrank", "flashrank");
  private static final Module COLBERT = new Module("rerankers-colbert", "colbert");
  private static final Module LLM = new Module("rerankers-llmlayerwise", "llmlayerwise");
  private static final Module MONOVLM = new Module("rerankers-monovlm", "monovlm");

  /** Built-in types and their modules; {@code lit5} is known but served by no module. */
  static final Map<String, Module> TYPES = types();

  /** The version of this library, for dependency snippets. */
  static final String VERSION = readVersion();

  private BuiltInBackends() {}

  private static Map<String, Module> types() {
    Map<String, Module> m = new LinkedHashMap<>();
    m.put("cross-encoder", TRANSFORMERS);
    m.put("t5", TRANSFORMERS);
    m.put("upr", TRANSFORMERS);
    m.put("flashrank", FLASHRANK);
    m.put("onnx-cross-encoder", FLASHRANK);
    m.put("dense", FLASHRANK);
    m.put("colbert", COLBERT);
    m.put("pylate", COLBERT);
    m.put("llm-layerwise", LLM);
    m.put("mxbaiv2", LLM);
    m.put("qwen3-reranker", LLM);
    m.put("monovlm", MONOVLM);
    m.put("rankgpt", API);
    m.put("rankllm", API);
    m.put("llm-relevance-filter", API);
    for (String p : TypeInference.API_PROVIDERS) {
      m.put(p, API);
    }
    m.put("lit5", null);
    return Collections.unmodifiableMap(m);
  }

  /** The message for a type whose module is missing: the exact dependency block to add. */
  static String missingBackendMessage(String type, String model) {
    Module module = TYPES.get(type);
    if (module == null) {
      return "model type '"
          + type
          + "' (model '"
          + model
          + "') is not implemented in rerankers for Java"
          + (type.equals("lit5")
              ? " (LiT5 is a FiD listwise ranker); use 'rankllm' or 'rankgpt' for listwise ranking, or 't5' for MonoT5"
              : "")
          + ", and no provider on the classpath registers it";
    }
    return "no backend for model type '"
        + type
        + "' (model '"
        + model
        + "') is on the classpath. Add this dependency:\n\n"
        + "    <dependency>\n"
        + "      <groupId>dev.rerankers</groupId>\n"
        + "      <artifactId>"
        + module.artifactId()
        + "</artifactId>\n"
        + "      <version>"
        + VERSION
        + "</version>\n"
        + "    </dependency>\n\n"
        + "(Gradle: implementation(\"dev.rerankers:"
        + module.artifactId()
        + ":"
        + VERSION
        + "\"))";
  }

  private static String readVersion() {
    try (InputStream in = BuiltInBackends.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.startsWith("${")) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall through to the unknown version
    }
    return "LATEST";
  }
}
