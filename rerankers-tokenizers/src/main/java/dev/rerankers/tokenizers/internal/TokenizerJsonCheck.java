package dev.rerankers.tokenizers.internal;

import dev.rerankers.ModelLoadException;
import dev.rerankers.json.JsonFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a parsed {@code tokenizer.json} before the native (Rust) tokenizer sees it. The Rust
 * library panics, and a panic inside a JNI call aborts the JVM, on some files it loads without
 * complaint: a WordPiece, WordLevel or BPE vocabulary without its {@code unk_token}, a Unigram
 * model without an {@code unk_id}, a corrupt {@code Precompiled} normaliser map, a BPE merge
 * shorter than its {@code continuing_subword_prefix}, a regex that backtracks catastrophically.
 * Each is refused here with a {@link ModelLoadException} naming the file, the field, what was
 * found and what is allowed. It also checks that token ids are in range and that added tokens and
 * the post-processor's special tokens carry the ids the tokenizer will give them.
 *
 * <p>Stateless. Not API.
 */
public final class TokenizerJsonCheck {
  /** Ids the tokenizer may produce: Rust keeps them as u32, backends index embeddings with them. */
  static final long MAX_ID = Integer.MAX_VALUE;

  private TokenizerJsonCheck() {}

  /**
   * What a checked file holds.
   *
   * @param modelKind {@code WordPiece}, {@code BPE}, {@code Unigram} or {@code WordLevel}
   * @param vocab every token the tokenizer knows (model vocabulary and added tokens) with the id
   *     the tokenizer gives it
   * @param maxId the largest id the tokenizer can produce
   */
  public record Summary(String modelKind, Map<String, Long> vocab, long maxId) {
    public Summary {
      vocab = Map.copyOf(vocab);
    }
  }

  /**
   * Checks a tokenizer.json.
   *
   * @param file the file, for messages
   * @param root the parsed JSON
   * @throws ModelLoadException naming the file, the field, what was found and what is allowed
   */
  public static Summary check(Path file, Object root) {
    return new Checker(file).run(root);
  }

  private static final class Checker {
    private final Path file;
    private final Map<String, Long> vocab = new HashMap<>();
    private long maxId = -1;

    Checker(Path file) {
      this.file = file;
    }

    Summary run(Object root) {
      if (!(root instanceof Map<?, ?> top)) {
        throw fail("the file", root, "a JSON object with a \"model\"");
      }
      if (!(top.get("model") instanceof Map<?, ?> model)) {
        throw fail("model", top.get("model"), "an object (WordPiece, BPE, Unigram or WordLevel)");
      }
      String kind = modelKind(model);
      int vocabSize = switch (kind) {
        case "WordPiece" -> wordPiece(model);
        case "WordLevel" -> wordLevel(model);
        case "BPE" -> bpe(model);
        case "Unigram" -> unigram(model);
        default -> throw fail("model.type", model.get("type"), "one of WordPiece, BPE, Unigram, WordLevel");
      };
      addedTokens(top.get("added_tokens"), vocabSize);
      postProcessor("post_processor", top.get("post_processor"));
      normalizer("normalizer", top.get("normalizer"));
      preTokenizer("pre_tokenizer", top.get("pre_tokenizer"));
      return new Summary(kind, vocab, maxId);
    }

    /** The model kind; tokenizers accepts a model without "type" and tries each kind in turn. */
    private String modelKind(Map<?, ?> model) {
      Object type = model.get("type");
      if (type != null) {
        if (!(type instanceof String s)) {
          throw fail("model.type", type, "one of WordPiece, BPE, Unigram, WordLevel");
        }
        return s;
      }
      if (model.get("vocab") instanceof List<?>) {
        return "Unigram";
      }
      if (model.containsKey("merges")) {
        return "BPE";
      }
      if (model.containsKey("continuing_subword_prefix") || model.containsKey("max_input_chars_per_word")) {
        return "WordPiece";
      }
      return "WordLevel";
    }

    private int wordPiece(Map<?, ?> model) {
      Map<String, Long> v = mapVocab(model, "WordPiece");
      String unk = stringOr(model, "unk_token", "[UNK]", "model.unk_token");
      requireUnk(v, unk, "WordPiece", "a word it cannot split into vocabulary pieces");
      return v.size();
    }

    private int wordLevel(Map<?, ?> model) {
      Map<String, Long> v = mapVocab(model, "WordLevel");
      String unk = stringOr(model, "unk_token", "<unk>", "model.unk_token");
      requireUnk(v, unk, "WordLevel", "a word outside the vocabulary");
      return v.size();
    }

    private int bpe(Map<?, ?> model) {
      Map<String, Long> v = mapVocab(model, "BPE");
      Object unk = model.get("unk_token");
      if (unk != null) {
        if (!(unk instanceof String s)) {
          throw fail("model.unk_token", unk, "a string or null");
        }
        requireUnk(v, s, "BPE", "a character outside the vocabulary");
      }
      Object prefix = model.get("continuing_subword_prefix");
      if (prefix != null && !(prefix instanceof String)) {
        throw fail("model.continuing_subword_prefix", prefix, "a string or null");
      }
      Object merges = model.get("merges");
      if (merges != null && !(merges instanceof List<?>)) {
        throw fail("model.merges", merges, "a list of merges (\"a b\" or [\"a\", \"b\"])");
      }
      if (prefix instanceof String p && !p.isEmpty() && merges instanceof List<?> list) {
        // tokenizers builds each merged token as a + b[len(prefix)..]: a shorter b panics at load
        int k = p.getBytes(StandardCharsets.UTF_8).length;
        for (int i = 0; i < list.size(); i++) {
          String second = secondOfMerge(list.get(i));
          if (second != null && !cutsAtCharBoundary(second, k)) {
            throw fail("model.merges[" + i + "]", list.get(i),
                "merges whose second part starts with the continuing_subword_prefix " + quote(p));
          }
        }
      }
      return v.size();
    }

    private int unigram(Map<?, ?> model) {
      if (!(model.get("vocab") instanceof List<?> list) || list.isEmpty()) {
        throw fail("model.vocab", model.get("vocab"), "a non-empty list of [piece, score] pairs (Unigram)");
      }
      Map<String, Long> v = new HashMap<>();
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof String piece)
            || !(pair.get(1) instanceof Number)) {
          throw fail("model.vocab[" + i + "]", list.get(i), "a [piece, score] pair (a string and a number)");
        }
        v.put(piece, (long) i); // as tokenizers: a repeated piece takes its last index
      }
      if (list.size() - 1 > MAX_ID) {
        throw fail("model.vocab", list, "at most " + MAX_ID + " pieces");
      }
      Object unkId = model.get("unk_id");
      boolean byteFallback = Boolean.TRUE.equals(model.get("byte_fallback"));
      if (unkId == null) {
        if (!(byteFallback && allBytePieces(v))) {
          throw new ModelLoadException(file + ": model.unk_id is null, so the Unigram tokenizer fails (and would "
              + "abort the JVM) on the first character outside its vocabulary; allowed: the index of the unknown "
              + "piece (e.g. \"<unk>\") in model.vocab, or byte_fallback with all 256 <0xXX> pieces. Fix the file "
              + "or re-save it with tokenizers");
        }
      } else if (!(unkId instanceof Long id) || id < 0 || id >= list.size()) {
        throw fail("model.unk_id", unkId, "an index into model.vocab, 0 to " + (list.size() - 1));
      }
      vocab.putAll(v);
      maxId = Math.max(maxId, list.size() - 1);
      return list.size();
    }

    private Map<String, Long> mapVocab(Map<?, ?> model, String kind) {
      if (!(model.get("vocab") instanceof Map<?, ?> map) || map.isEmpty()) {
        throw fail("model.vocab", model.get("vocab"), "a non-empty object of token → id (" + kind + ")");
      }
      Map<String, Long> v = new HashMap<>();
      Map<Long, String> byId = new HashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String token = (String) e.getKey();
        if (!(e.getValue() instanceof Long id) || id < 0 || id > MAX_ID) {
          throw fail("model.vocab[" + quote(token) + "]", e.getValue(), "an integer id from 0 to " + MAX_ID);
        }
        String other = byId.put(id, token);
        if (other != null) {
          throw new ModelLoadException(file + ": model.vocab gives id " + id + " to both " + quote(other) + " and "
              + quote(token) + "; allowed: one token per id. The file is corrupt: download it again");
        }
        v.put(token, id);
        maxId = Math.max(maxId, id);
      }
      vocab.putAll(v);
      return v;
    }

    private void requireUnk(Map<String, Long> v, String unk, String kind, String what) {
      if (!v.containsKey(unk)) {
        throw new ModelLoadException(file + ": model.unk_token " + quote(unk) + " is not in model.vocab, so the "
            + kind + " tokenizer fails (and would abort the JVM) on " + what + "; allowed: a token of model.vocab. "
            + "Add " + quote(unk) + " to model.vocab or set model.unk_token to a token it holds");
      }
    }

    /** Simulates tokenizers' AddedVocabulary: a token in the vocabulary keeps its id, others follow it. */
    private void addedTokens(Object added, int modelVocabSize) {
      if (added == null) {
        return;
      }
      if (!(added instanceof List<?> list)) {
        throw fail("added_tokens", added, "a list of {id, content, ...} objects");
      }
      Map<String, Long> addedIds = new HashMap<>();
      long maxAdded = -1;
      for (int i = 0; i < list.size(); i++) {
        String where = "added_tokens[" + i + "]";
        if (!(list.get(i) instanceof Map<?, ?> t)) {
          throw fail(where, list.get(i), "an object with \"id\" and \"content\"");
        }
        if (!(t.get("content") instanceof String content) || content.isEmpty()) {
          throw fail(where + ".content", t.get("content"), "a non-empty string");
        }
        if (!(t.get("id") instanceof Long fileId) || fileId < 0 || fileId > MAX_ID) {
          throw fail(where + ".id", t.get("id"), "an integer id from 0 to " + MAX_ID);
        }
        Long given = addedIds.get(content);
        if (given == null) {
          given = vocab.get(content);
        }
        if (given == null) {
          given = maxAdded < 0 ? modelVocabSize : (maxAdded >= modelVocabSize ? maxAdded + 1 : modelVocabSize);
        }
        if (given.longValue() != fileId) {
          throw new ModelLoadException(file + ": " + where + " " + quote(content) + " has id " + fileId
              + " but the tokenizer gives it id " + given + " (a token of the model's vocabulary keeps its id; "
              + "others follow the " + modelVocabSize + "-entry vocabulary in order); allowed: id " + given
              + ". The file is inconsistent: re-save it with tokenizers");
        }
        addedIds.put(content, given);
        maxAdded = Math.max(maxAdded, given);
        maxId = Math.max(maxId, given);
      }
      vocab.putAll(addedIds);
    }

    private void postProcessor(String where, Object pp) {
      if (pp == null) {
        return;
      }
      if (!(pp instanceof Map<?, ?> m)) {
        throw fail(where, pp, "an object or null");
      }
      Object type = m.get("type");
      if ("Sequence".equals(type)) {
        if (m.get("processors") instanceof List<?> list) {
          for (int i = 0; i < list.size(); i++) {
            postProcessor(where + ".processors[" + i + "]", list.get(i));
          }
        }
      } else if ("TemplateProcessing".equals(type)) {
        Object specialsValue = m.get("special_tokens");
        Map<?, ?> known = specialsValue instanceof Map<?, ?> sm ? sm : Map.of();
        // tokenizers looks template tokens up without checking (a missing one panics), and a
        // single-text template that names sequence B indexes past its one sequence
        template(where + ".single", m.get("single"), known, false);
        template(where + ".pair", m.get("pair"), known, true);
        if (m.get("special_tokens") instanceof Map<?, ?> specials) {
          for (Map.Entry<?, ?> e : specials.entrySet()) {
            String at = where + ".special_tokens[" + quote(String.valueOf(e.getKey())) + "]";
            if (!(e.getValue() instanceof Map<?, ?> s) || !(s.get("ids") instanceof List<?> ids)
                || !(s.get("tokens") instanceof List<?> tokens) || ids.size() != tokens.size()) {
              throw fail(at, e.getValue(), "an object with \"ids\" and \"tokens\" lists of the same length");
            }
            for (int i = 0; i < ids.size(); i++) {
              specialId(at, tokens.get(i), ids.get(i));
            }
          }
        }
      } else if ("BertProcessing".equals(type) || "RobertaProcessing".equals(type)) {
        for (String key : List.of("sep", "cls")) {
          Object pair = m.get(key);
          if (pair != null) {
            if (!(pair instanceof List<?> l) || l.size() != 2) {
              throw fail(where + "." + key, pair, "a [token, id] pair");
            }
            specialId(where + "." + key, l.get(0), l.get(1));
          }
        }
      }
    }

    private void template(String where, Object template, Map<?, ?> specials, boolean pair) {
      if (template == null) {
        return;
      }
      if (!(template instanceof List<?> pieces)) {
        throw fail(where, template, "a list of {\"SpecialToken\": ...} and {\"Sequence\": ...} pieces");
      }
      for (int i = 0; i < pieces.size(); i++) {
        Object piece = pieces.get(i);
        if (piece instanceof Map<?, ?> p && p.get("SpecialToken") instanceof Map<?, ?> st) {
          Object id = st.get("id");
          if (!specials.containsKey(id)) {
            throw new ModelLoadException(file + ": " + where + "[" + i + "] inserts the special token "
                + (id instanceof String sid ? quote(sid) : JsonFile.describe(id)) + ", which is not in special_tokens"
                + " (the native post-processor would abort the JVM); allowed: a key of special_tokens "
                + specials.keySet() + ". Fix the file or download it again");
          }
        } else if (piece instanceof Map<?, ?> p && p.get("Sequence") instanceof Map<?, ?> seq) {
          if (!pair && "B".equals(seq.get("id"))) {
            throw new ModelLoadException(file + ": " + where + "[" + i + "] places sequence B in the single-text "
                + "template, which has only sequence A (the native post-processor would abort the JVM); allowed: A");
          }
        }
      }
    }

    /** A post-processor inserts the id it states: it must be the id of the token it names. */
    private void specialId(String where, Object token, Object id) {
      if (!(token instanceof String t)) {
        throw fail(where, token, "a token string");
      }
      if (!(id instanceof Long n) || n < 0 || n > MAX_ID) {
        throw fail(where + " id of " + quote(t), id, "an integer id from 0 to " + MAX_ID);
      }
      Long actual = vocab.get(t);
      if (actual == null || actual.longValue() != n) {
        throw new ModelLoadException(file + ": " + where + " inserts " + quote(t) + " as id " + n + ", but "
            + (actual == null ? "the tokenizer has no such token" : "the tokenizer gives it id " + actual)
            + "; allowed: the token's id in model.vocab or added_tokens. The file is inconsistent: re-save it with tokenizers");
      }
      maxId = Math.max(maxId, n);
    }

    private void normalizer(String where, Object n) {
      if (!(n instanceof Map<?, ?> m)) {
        return;
      }
      Object type = m.get("type");
      if ("Sequence".equals(type) && m.get("normalizers") instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          normalizer(where + ".normalizers[" + i + "]", list.get(i));
        }
      } else if ("Precompiled".equals(type)) {
        precompiled(where + ".precompiled_charsmap", m.get("precompiled_charsmap"));
      } else if ("Replace".equals(type)) {
        pattern(where + ".pattern", m.get("pattern"));
      }
    }

    private void preTokenizer(String where, Object p) {
      if (!(p instanceof Map<?, ?> m)) {
        return;
      }
      Object type = m.get("type");
      if ("Sequence".equals(type) && m.get("pretokenizers") instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          preTokenizer(where + ".pretokenizers[" + i + "]", list.get(i));
        }
      } else if ("Split".equals(type)) {
        pattern(where + ".pattern", m.get("pattern"));
      }
    }

    private void pattern(String where, Object pattern) {
      if (pattern instanceof Map<?, ?> p && p.get("Regex") instanceof String regex) {
        String problem = RegexRisk.problem(regex);
        if (problem != null) {
          throw new ModelLoadException(file + ": " + where + ".Regex " + quote(regex) + " " + problem
              + ": the native regex engine gives up on some texts and aborts the JVM; allowed: patterns without "
              + "nested or repeated-alternation quantifiers, back-references, or more than two unbounded "
              + "quantifiers in one branch (as in the GPT-2, Llama 3 and Qwen2 patterns)");
        }
      }
    }

    /** tokenizers 0.21 unwraps a Precompiled normaliser's parse: any error there aborts the JVM at load. */
    private void precompiled(String where, Object charsmap) {
      if (!(charsmap instanceof String s)) {
        throw fail(where, charsmap, "the base64 string of SentencePiece's normalisation map (it aborts the JVM "
            + "at load otherwise)");
      }
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(s);
      } catch (IllegalArgumentException e) {
        throw fail(where, charsmap, "padded base64 text (" + e.getMessage() + ")");
      }
      if (!Base64.getEncoder().encodeToString(bytes).equals(s)) {
        throw fail(where, charsmap, "canonical, padded base64 text, as tokenizers writes it");
      }
      String problem = PrecompiledMap.problem(bytes);
      if (problem != null) {
        throw new ModelLoadException(file + ": " + where + " is corrupt: " + problem
            + " (the native normaliser would abort the JVM on some texts); allowed: the map SentencePiece wrote. "
            + "Download the tokenizer again");
      }
    }

    private ModelLoadException fail(String field, Object found, String allowed) {
      return new ModelLoadException(file + ": " + field + " is " + JsonFile.describe(found) + "; allowed: " + allowed
          + ". Fix the file or download it again");
    }

    private String stringOr(Map<?, ?> m, String key, String defaultValue, String where) {
      Object o = m.get(key);
      if (o == null) {
        return defaultValue;
      }
      if (!(o instanceof String s)) {
        throw fail(where, o, "a string");
      }
      return s;
    }
  }

  private static String secondOfMerge(Object merge) {
    if (merge instanceof String s) {
      int space = s.indexOf(' ');
      return space < 0 ? null : s.substring(space + 1);
    }
    if (merge instanceof List<?> l && l.size() == 2 && l.get(1) instanceof String b) {
      return b;
    }
    return null;
  }

  /** Whether Rust's {@code s[k..]} (k in UTF-8 bytes) succeeds. */
  private static boolean cutsAtCharBoundary(String s, int k) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return k <= b.length && (k == b.length || (b[k] & 0xc0) != 0x80);
  }

  private static boolean allBytePieces(Map<String, Long> v) {
    for (int i = 0; i < 256; i++) {
      if (!v.containsKey(String.format("<0x%02X>", i))) {
        return false;
      }
    }
    return true;
  }

  static String quote(String s) {
    return dev.rerankers.json.Json.quote(s.length() > 60 ? s.substring(0, 60) + "…" : s);
  }
}
