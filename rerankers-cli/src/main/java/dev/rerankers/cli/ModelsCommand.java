package dev.rerankers.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rerankers.Catalog;
import dev.rerankers.ConfigException;
import dev.rerankers.Reranker;
import dev.rerankers.spi.RerankerProvider;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rerankers models}: families, their default models per language, and the backends present. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    header = "List model families, default models per language, and backends present.",
    description = {
      "Lists the model families with their default model per language (lang=L; languages a family has no own"
          + " default for use its 'other' default), and which backend modules are on the classpath."
    })
final class ModelsCommand implements Callable<Integer> {

  /** Languages probed for family defaults; "other" stands for every language without its own default. */
  static final List<String> LANGS = List.of("en", "fr", "zh", "ja", "es", "other");

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object instead of tables.")
  boolean json;

  @Option(
      names = "--options",
      paramLabel = "TYPE",
      description = "Print the options a model type accepts (key, allowed values, default, what it does), as its"
          + " backend declares them, instead of the catalogue.")
  String optionsOf;

  record OptionRow(String key, String allowed, @JsonProperty("default") String defaultValue, String doc, boolean secret) {}

  record Family(String name, String type, String provider, Map<String, String> defaults) {}

  record Module(
      String module,
      String backend,
      List<String> types,
      @JsonProperty("on_classpath") boolean onClasspath,
      List<String> providers) {}

  @Override
  public Integer call() {
    if (optionsOf != null) {
      return printOptions(optionsOf.strip());
    }
    List<RerankerProvider> providers = providers();
    List<Family> families = families();
    List<Module> modules = modules(providers);
    List<Map<String, Object>> others = otherProviders(providers);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("families", families);
      root.put("modules", modules);
      root.put("other_providers", others);
      out.println(OneLineJson.write(root));
      return 0;
    }
    out.println("Model families (load by name; lang=L picks the default for a language):");
    out.println();
    out.printf("  %-26s %-26s %-13s %s%n", "family", "type", "backend", "default model by lang");
    for (Family f : families) {
      boolean first = true;
      for (Map.Entry<String, List<String>> e : groupByModel(f.defaults()).entrySet()) {
        String langs = String.join(", ", e.getValue());
        if (first) {
          out.printf("  %-26s %-26s %-13s %s: %s%n", f.name(), f.type(), Objects.toString(f.provider(), "-"), langs, e.getKey());
          first = false;
        } else {
          out.printf("  %-26s %-26s %-13s %s: %s%n", "", "", "", langs, e.getKey());
        }
      }
    }
    out.println();
    out.println("Backend modules (dev.rerankers:<module>):");
    out.println();
    out.printf("  %-24s %-10s %s%n", "module", "status", "types");
    for (Module m : modules) {
      out.printf("  %-24s %-10s %s%n", m.module(), m.onClasspath() ? "present" : "missing", String.join(", ", m.types()));
    }
    if (!others.isEmpty()) {
      out.println();
      out.println("Other providers on the classpath:");
      for (Map<String, Object> p : others) {
        out.printf("  %s (%s): %s%n", p.get("name"), p.get("class"), String.join(", ", castList(p.get("types"))));
      }
    }
    return 0;
  }

  private int printOptions(String type) {
    List<OptionRow> rows = new ArrayList<>();
    for (dev.rerankers.spi.Option<?> o : Catalog.options(type)) {
      rows.add(new OptionRow(o.key(), o.describeAllowed(), o.describeDefault(), o.doc(), o.isSecret()));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("type", type);
      root.put("options", rows);
      out.println(OneLineJson.write(root));
      return 0;
    }
    out.println("Options of type " + type + " (config string: " + type + ":MODEL?key=value&...):");
    out.println();
    int keyWidth = Math.max(6, rows.stream().mapToInt(r -> r.key().length()).max().orElse(0));
    int allowedWidth = Math.max(7, rows.stream().mapToInt(r -> r.allowed().length()).max().orElse(0));
    int defaultWidth = Math.max(7, rows.stream().mapToInt(r -> r.defaultValue().length()).max().orElse(0));
    String format = "  %-" + keyWidth + "s  %-" + allowedWidth + "s  %-" + defaultWidth + "s  %s%n";
    out.printf(format, "option", "allowed", "default", "what it does");
    for (OptionRow r : rows) {
      out.printf(format, r.key(), r.allowed(), r.defaultValue(), r.doc());
    }
    return 0;
  }

  @SuppressWarnings("unchecked")
  private static List<String> castList(Object o) {
    return (List<String>) o;
  }

  static List<Family> families() {
    List<Family> out = new ArrayList<>();
    for (String family : Catalog.families().keySet()) {
      Map<String, String> byLang = new LinkedHashMap<>();
      for (String lang : LANGS) {
        try {
          byLang.put(lang, Reranker.builder(family).lang(lang).resolve().model());
        } catch (ConfigException e) {
          // no default for this language
        }
      }
      String other = byLang.get("other");
      byLang.entrySet().removeIf(
          e -> !e.getKey().equals("en") && !e.getKey().equals("other") && other != null && e.getValue().equals(other));
      String type = Catalog.familyType(family);
      out.add(new Family(family, type, Catalog.backendOf(type).orElse(null), byLang));
    }
    return out;
  }

  private static Map<String, List<String>> groupByModel(Map<String, String> byLang) {
    Map<String, List<String>> grouped = new LinkedHashMap<>();
    byLang.forEach((lang, model) -> grouped.computeIfAbsent(model, m -> new ArrayList<>()).add(lang));
    return grouped;
  }

  static List<Module> modules(List<RerankerProvider> providers) {
    Map<String, List<String>> typesByBackend = new LinkedHashMap<>();
    List<String> unserved = new ArrayList<>();
    for (String type : Catalog.builtInTypes()) {
      String backend = Catalog.backendOf(type).orElse(null);
      if (backend == null) {
        unserved.add(type);
      } else {
        typesByBackend.computeIfAbsent(backend, b -> new ArrayList<>()).add(type);
      }
    }
    List<Module> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : typesByBackend.entrySet()) {
      Set<String> serving = new LinkedHashSet<>();
      for (RerankerProvider p : providers) {
        for (String t : e.getValue()) {
          if (p.modelTypes().contains(t)) {
            serving.add(p.getClass().getName());
          }
        }
      }
      out.add(new Module("rerankers-" + e.getKey(), e.getKey(), e.getValue(), !serving.isEmpty(), new ArrayList<>(serving)));
    }
    return out;
  }

  static List<Map<String, Object>> otherProviders(List<RerankerProvider> providers) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (RerankerProvider p : providers) {
      List<String> own = new ArrayList<>(new TreeSet<>(p.modelTypes()));
      own.removeAll(Catalog.builtInTypes());
      if (!own.isEmpty()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("class", p.getClass().getName());
        m.put("types", own);
        out.add(m);
      }
    }
    return out;
  }

  static List<RerankerProvider> providers() {
    return Catalog.installedProviders();
  }

}
