package dev.rerankers.transformers.internal;

import dev.rerankers.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The T5 ranker's input template ({@code inputsTemplate}, Python's {@code inputs_template}), in Python
 * {@code str.format} syntax with named fields, e.g. {@code "Query:
 * {query} Document: {text} Relevant:"}; {@code {{} and {@code }}} stand for literal braces. Values
 * are inserted verbatim (braces in a query stay as they are). Parsed once; immutable.
 */
public final class InputTemplate {
  private final String source;
  private final List<String> literals;
  private final List<String> fields;

  private InputTemplate(String source, List<String> literals, List<String> fields) {
    this.source = source;
    this.literals = literals;
    this.fields = fields;
  }

  /**
   * Parses a template that must use every one of {@code required} and nothing else.
   *
   * @param option the option's name, for messages
   * @throws ConfigException for an unknown or missing field or an unbalanced brace
   */
  public static InputTemplate parse(String template, String option, Set<String> required) {
    if (template == null) {
      throw new ConfigException(option + " must not be null");
    }
    List<String> literals = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
        lit.append('{');
        i += 2;
      } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
        lit.append('}');
        i += 2;
      } else if (c == '{') {
        int end = template.indexOf('}', i);
        if (end < 0) {
          throw new ConfigException(option + " '" + template + "' has an unclosed '{' (write {{ for a literal brace)");
        }
        String name = template.substring(i + 1, end);
        if (!required.contains(name)) {
          throw new ConfigException(option + " '" + template + "' uses the field {" + name + "}; the fields are "
              + required.stream().sorted().map(f -> "{" + f + "}").toList() + " (write {{ and }} for literal braces)");
        }
        literals.add(lit.toString());
        lit.setLength(0);
        fields.add(name);
        i = end + 1;
      } else if (c == '}') {
        throw new ConfigException(option + " '" + template + "' has a single '}' (write }} for a literal brace)");
      } else {
        lit.append(c);
        i++;
      }
    }
    literals.add(lit.toString());
    for (String r : required) {
      if (!fields.contains(r)) {
        throw new ConfigException(option + " '" + template + "' must contain {" + r + "}");
      }
    }
    return new InputTemplate(template, List.copyOf(literals), List.copyOf(fields));
  }

  /** Fills {@code {query}} and {@code {text}} (a template parsed with those fields). */
  public String format(String query, String text) {
    StringBuilder out = new StringBuilder(source.length() + query.length() + text.length());
    for (int k = 0; k < fields.size(); k++) {
      out.append(literals.get(k)).append(fields.get(k).equals("query") ? query : text);
    }
    return out.append(literals.get(fields.size())).toString();
  }

  @Override
  public String toString() {
    return source;
  }
}
