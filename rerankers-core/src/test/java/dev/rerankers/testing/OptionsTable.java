package dev.rerankers.testing;

import dev.rerankers.Catalog;
import dev.rerankers.spi.Option;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders a type's option declarations as the Markdown table the docs pages carry between {@code
 * <!-- options:TYPE -->} and {@code <!-- /options:TYPE -->}, and checks a page against it, so the
 * documentation cannot drift from what the backend accepts.
 *
 * <p>Shipped in rerankers-core's test-jar for the other modules' tests.
 */
public final class OptionsTable {
  private OptionsTable() {}

  /** The table for these declarations, one row per option, in declaration order. */
  public static String render(List<Option<?>> options) {
    StringBuilder sb = new StringBuilder("| option | allowed | default | what it does |\n|---|---|---|---|\n");
    for (Option<?> o : options) {
      sb.append("| `").append(o.key()).append("` | ").append(cell(o.describeAllowed())).append(" | ")
          .append(cell(o.describeDefault())).append(" | ").append(cell(o.doc())).append(" |\n");
    }
    return sb.toString();
  }

  /**
   * The table between the markers for {@code type} in a docs page.
   *
   * @throws AssertionError when the markers are missing
   */
  public static String extract(Path page, String type) throws IOException {
    String text = Files.readString(page, StandardCharsets.UTF_8);
    String open = "<!-- options:" + type + " -->\n";
    String close = "<!-- /options:" + type + " -->";
    int a = text.indexOf(open);
    int b = text.indexOf(close);
    if (a < 0 || b < a) {
      throw new AssertionError(page + " has no options table for " + type + "; add it between '" + open.strip()
          + "' and '" + close + "':\n\n" + render(Catalog.options(type)));
    }
    return text.substring(a + open.length(), b);
  }

  /**
   * Fails unless the page's table for {@code type} is exactly what the declarations render,
   * printing the expected table.
   */
  public static void assertDocumented(Path page, String type) throws IOException {
    String expected = render(Catalog.options(type));
    String actual = extract(page, type);
    if (!expected.equals(actual)) {
      throw new AssertionError("the options table for " + type + " in " + page
          + " differs from the declarations; replace it with:\n\n" + expected);
    }
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
