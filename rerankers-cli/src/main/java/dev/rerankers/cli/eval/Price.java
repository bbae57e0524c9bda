package dev.rerankers.cli.eval;

import dev.rerankers.ConfigException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A price for a hosted ranker's usage, from {@code --price SPEC=AMOUNT/UNIT}: {@code AMOUNT} in
 * any currency, per {@code UNIT}, where a unit is a usage unit the provider reports ({@code
 * tokens}, {@code search_units}, {@code rerank_units}, {@code requests}) optionally preceded by a
 * count, with {@code k} or {@code M} for thousands and millions. Examples: {@code
 * cohere=2/1000search_units} (2 per 1,000 search units), {@code jina=0.02/1Mtokens}, {@code
 * voyage=0.05/1M tokens} (a space is allowed).
 *
 * @param spec the reranker spec, exactly as given to {@code --rerankers}
 * @param amount the price of {@code per} units
 * @param per how many units the amount buys
 * @param unit the usage unit name
 */
public record Price(String spec, double amount, double per, String unit) {
  private static final Pattern UNIT = Pattern.compile("\\s*(?:(\\d+(?:\\.\\d+)?)([kKM])?)?\\s*([A-Za-z][A-Za-z0-9_\\-]*)\\s*");

  public Price {
    if (!(amount >= 0) || Double.isInfinite(amount)) {
      throw new ConfigException("price amount must be a number >= 0, got " + amount);
    }
    if (!(per > 0) || Double.isInfinite(per)) {
      throw new ConfigException("price unit count must be > 0, got " + per);
    }
  }

  /** Parses {@code SPEC=AMOUNT/UNIT}; the spec may itself contain {@code '='} (config options). */
  public static Price parse(String text) {
    String usage = "; expected SPEC=AMOUNT/UNIT, e.g. cohere=2/1000search_units or jina=0.02/1Mtokens";
    if (text == null) {
      throw new ConfigException("--price has no value" + usage);
    }
    int eq = text.lastIndexOf('=');
    if (eq <= 0 || eq == text.length() - 1) {
      throw new ConfigException("--price '" + text + "' has no SPEC=..." + usage);
    }
    String spec = text.substring(0, eq).strip();
    String rest = text.substring(eq + 1);
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw new ConfigException("--price '" + text + "' has no /UNIT" + usage);
    }
    double amount;
    try {
      amount = Double.parseDouble(rest.substring(0, slash).strip());
    } catch (NumberFormatException e) {
      throw new ConfigException("--price '" + text + "': '" + rest.substring(0, slash) + "' is not an amount" + usage);
    }
    Matcher m = UNIT.matcher(rest.substring(slash + 1));
    if (!m.matches()) {
      throw new ConfigException("--price '" + text + "': '" + rest.substring(slash + 1) + "' is not [COUNT]UNIT" + usage);
    }
    double per = m.group(1) == null ? 1 : Double.parseDouble(m.group(1));
    if (m.group(2) != null) {
      per *= m.group(2).equals("M") ? 1_000_000 : 1_000;
    }
    return new Price(spec, amount, per, m.group(3).toLowerCase(Locale.ROOT));
  }

  /** The cost of {@code units} units. */
  public double cost(double units) {
    return units * amount / per;
  }

  /** As the user would write it. */
  @Override
  public String toString() {
    return Secrets.mask(spec) + "=" + amount + "/" + (per == 1 ? "" : formatCount(per)) + unit;
  }

  private static String formatCount(double n) {
    return n == Math.rint(n) ? Long.toString((long) n) : Double.toString(n);
  }
}
