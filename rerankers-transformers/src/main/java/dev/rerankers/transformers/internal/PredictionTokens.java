package dev.rerankers.transformers.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.tokenizers.HfTokenizer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Which two vocabulary tokens a T5 ranker reads at the first decoder step: "not relevant" and
 * "relevant". The table is Python rerankers' {@code PREDICTION_TOKENS} (models/t5ranker.py), looked
 * up by model id; token options override it, each independently, as Python's {@code
 * token_false}/{@code token_true} kwargs do.
 */
public final class PredictionTokens {
  private static final System.Logger LOG = System.getLogger(PredictionTokens.class.getName());

  /** The value that asks for the table ({@code "auto"}, as in Python). */
  public static final String AUTO = "auto";

  /** Python's {@code PREDICTION_TOKENS["default"]}. */
  static final Pair DEFAULT = new Pair("▁false", "▁true");

  /** A token given as a vocabulary piece ({@code "▁true"}) or as an id (TWOLAR's table entries). */
  record Token(String piece, Long id) {
    static Token piece(String p) {
      return new Token(p, null);
    }

    static Token id(long id) {
      return new Token(null, id);
    }

    @Override
    public String toString() {
      return piece != null ? piece : "#" + id;
    }
  }

  /** A (false, true) pair of table entries. */
  record Pair(Token no, Token yes) {
    Pair(String no, String yes) {
      this(Token.piece(no), Token.piece(yes));
    }
  }

  /** The resolved ids and how they were chosen. */
  public record Resolved(String falseToken, long falseId, String trueToken, long trueId, String source) {}

  private static final Map<String, Pair> TABLE = table();

  private PredictionTokens() {}

  /** Python's table, model id → (false, true). */
  static Map<String, Pair> known() {
    return TABLE;
  }

  /**
   * Resolves the two tokens for a model and checks them against its vocabulary.
   *
   * @param model the model id or path as given
   * @param tokenFalse the option value, or {@link #AUTO}
   * @param tokenTrue the option value, or {@link #AUTO}
   * @param tokenizer the model's tokenizer (its vocabulary and added tokens)
   * @param vocabSize the model's {@code vocab_size}: ids must be below it
   * @throws ModelLoadException naming the token and the options to set when one is not in the
   *     vocabulary
   * @throws ConfigException when both resolve to the same id
   */
  public static Resolved resolve(String model, String tokenFalse, String tokenTrue, HfTokenizer tokenizer, int vocabSize) {
    Pair table = null;
    String how;
    boolean autoFalse = AUTO.equalsIgnoreCase(tokenFalse.strip());
    boolean autoTrue = AUTO.equalsIgnoreCase(tokenTrue.strip());
    if (autoFalse || autoTrue) {
      String key = lookup(model);
      if (key != null) {
        table = TABLE.get(key);
        how = "table entry " + key;
      } else {
        table = DEFAULT;
        how = "default (model not in the PREDICTION_TOKENS table)";
        LOG.log(System.Logger.Level.WARNING, "model {0} does not have known true/false tokens: using {1}/{2}; set "
            + "tokenFalse/tokenTrue when it answers with other words (e.g. ▁no/▁yes for mT5 mMARCO models)",
            model, autoFalse ? DEFAULT.no() : tokenFalse, autoTrue ? DEFAULT.yes() : tokenTrue);
      }
      if (!autoFalse || !autoTrue) {
        how += ", with an explicit " + (autoFalse ? "tokenTrue" : "tokenFalse");
      }
    } else {
      how = "options tokenFalse/tokenTrue";
    }
    Token no = autoFalse ? table.no() : Token.piece(tokenFalse);
    Token yes = autoTrue ? table.yes() : Token.piece(tokenTrue);
    long noId = id(no, "tokenFalse", model, tokenizer, vocabSize);
    long yesId = id(yes, "tokenTrue", model, tokenizer, vocabSize);
    if (noId == yesId) {
      throw new ConfigException("tokenFalse " + no + " and tokenTrue " + yes + " of " + model
          + " are the same token (id " + noId + "): the score would always be 0.5");
    }
    return new Resolved(no.toString(), noId, yes.toString(), yesId, how);
  }

  /**
   * The table key for a model: its id exactly (Python's rule), else a local folder or Hub cache
   * path whose last component is a known model's name (e.g. {@code /models/mt5-base-mmarco-v2}).
   */
  static String lookup(String model) {
    if (TABLE.containsKey(model)) {
      return model;
    }
    String name = model.replace('\\', '/');
    while (name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    name = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    for (String key : TABLE.keySet()) {
      String keyName = key.substring(key.indexOf('/') + 1).toLowerCase(Locale.ROOT);
      if (!key.equals("default") && name.equals(keyName)) {
        return key;
      }
    }
    return null;
  }

  private static long id(Token t, String option, String model, HfTokenizer tokenizer, int vocabSize) {
    long id;
    if (t.id() != null) {
      id = t.id();
    } else {
      OptionalLong found = tokenizer.tokenId(t.piece());
      if (found.isPresent()) {
        id = found.getAsLong();
      } else if (t.piece().matches("\\d{1,9}")) {
        id = Long.parseLong(t.piece()); // an id, as TWOLAR's table entries
      } else {
        throw new ModelLoadException("the " + option + " token '" + t.piece() + "' is not in the vocabulary of "
            + model + ": set " + option + " to the word the model answers with, as a vocabulary piece "
            + "(sentencepiece marks a leading space with ▁: ▁false/▁true, ▁no/▁yes for mT5 mMARCO, ▁não/▁sim for "
            + "Portuguese ptT5) or as a token id");
      }
    }
    if (id < 0 || id >= vocabSize) {
      throw new ModelLoadException("the " + option + " token " + t + " has id " + id + ", outside the vocabulary of "
          + model + " (vocab_size " + vocabSize + ")");
    }
    return id;
  }

  private static Map<String, Pair> table() {
    Map<String, Pair> m = new LinkedHashMap<>();
    Pair falseTrue = DEFAULT;
    Pair noYes = new Pair("▁no", "▁yes");
    Pair naoSim = new Pair("▁não", "▁sim");
    Pair naoSimUpper = new Pair("▁Não", "▁Sim");
    Pair blankTrue = new Pair("▁", "▁true");
    m.put("default", falseTrue);
    for (String k : new String[] {
        "castorini/monot5-base-msmarco", "castorini/monot5-base-msmarco-10k", "castorini/monot5-large-msmarco",
        "castorini/monot5-large-msmarco-10k", "castorini/monot5-base-med-msmarco", "castorini/monot5-3b-med-msmarco",
        "castorini/monot5-3b-msmarco-10k", "unicamp-dl/InRanker-small", "unicamp-dl/InRanker-base",
        "unicamp-dl/InRanker-3B"}) {
      m.put(k, falseTrue);
    }
    m.put("unicamp-dl/mt5-base-en-msmarco", noYes);
    m.put("unicamp-dl/ptt5-base-pt-msmarco-10k-v2", naoSim);
    m.put("unicamp-dl/ptt5-base-pt-msmarco-100k-v2", naoSim);
    m.put("unicamp-dl/ptt5-base-en-pt-msmarco-100k-v2", naoSim);
    m.put("unicamp-dl/mt5-base-en-pt-msmarco-v2", noYes);
    m.put("unicamp-dl/mt5-base-mmarco-v2", noYes);
    m.put("unicamp-dl/mt5-base-en-pt-msmarco-v1", noYes);
    m.put("unicamp-dl/mt5-base-mmarco-v1", noYes);
    m.put("unicamp-dl/ptt5-base-pt-msmarco-10k-v1", naoSim);
    m.put("unicamp-dl/ptt5-base-pt-msmarco-100k-v1", naoSim);
    m.put("unicamp-dl/ptt5-base-en-pt-msmarco-10k-v1", naoSim);
    m.put("unicamp-dl/mt5-3B-mmarco-en-pt", blankTrue);
    m.put("unicamp-dl/mt5-13b-mmarco-100k", blankTrue);
    m.put("unicamp-dl/monoptt5-small", naoSimUpper);
    m.put("unicamp-dl/monoptt5-base", naoSimUpper);
    m.put("unicamp-dl/monoptt5-large", naoSimUpper);
    m.put("unicamp-dl/monoptt5-3b", naoSimUpper);
    Pair twolar = new Pair(Token.id(6136), Token.id(1176));
    m.put("Dundalia/TWOLAR-large", twolar);
    m.put("Dundalia/TWOLAR-xl", twolar);
    return Collections.unmodifiableMap(m);
  }
}
