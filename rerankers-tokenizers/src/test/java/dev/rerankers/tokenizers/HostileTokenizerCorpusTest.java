package dev.rerankers.tokenizers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.json.Json;
import dev.rerankers.testing.ChildJvm;
import dev.rerankers.tokenizers.internal.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of hostile tokenizer files, for every model kind (WordPiece, BPE, Unigram, WordLevel),
 * each loaded in a child JVM and run on documents of unusual characters ({@link
 * dev.rerankers.testing.UnusualText}). Each must end in the expected typed exception, or encode
 * cleanly, and the child JVM must survive: several of these files aborted the JVM (SIGABRT, exit
 * 134) in the Rust tokenizer before they were validated at load.
 */
class HostileTokenizerCorpusTest {
  @TempDir static Path dir;

  /** name → expected outcome: "OK" or a fragment of the ModelLoadException's message. */
  static final Map<String, String> EXPECTED = new LinkedHashMap<>();

  static Map<String, Object> base(String name) {
    return copy(HfTokenizerTest.caseDir(name).resolve("tokenizer.json"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> copy(Path file) {
    try {
      return (Map<String, Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> obj(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  static void tokenizerCase(String name, String from, Consumer<Map<String, Object>> edit, String expected) throws IOException {
    Map<String, Object> t = base(from);
    edit.accept(t);
    Path d = Files.createDirectories(dir.resolve(name));
    Files.writeString(d.resolve("tokenizer.json"), JsonWriter.write(t));
    for (String extra : List.of("tokenizer_config.json", "special_tokens_map.json")) {
      Path f = HfTokenizerTest.caseDir(from).resolve(extra);
      if (Files.exists(f)) {
        Files.copy(f, d.resolve(extra));
      }
    }
    EXPECTED.put(name, expected);
  }

  static void configCase(String name, String from, String tokenizerConfig, String expected) throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    Files.copy(HfTokenizerTest.caseDir(from).resolve("tokenizer.json"), d.resolve("tokenizer.json"));
    Files.writeString(d.resolve("tokenizer_config.json"), tokenizerConfig);
    EXPECTED.put(name, expected);
  }

  static Map<String, Object> model(Map<String, Object> t) {
    return obj(t.get("model"));
  }

  @BeforeAll
  static void corpus() throws IOException {
    // WordPiece (BERT)
    tokenizerCase("wordpiece-valid", "bert", t -> { }, "OK");
    tokenizerCase("wordpiece-unk-not-in-vocab", "bert", t -> obj(model(t).get("vocab")).remove("[UNK]"),
        "model.unk_token \"[UNK]\" is not in model.vocab");
    tokenizerCase("wordpiece-unk-renamed", "bert", t -> model(t).put("unk_token", "<nope>"),
        "model.unk_token \"<nope>\" is not in model.vocab");
    tokenizerCase("wordpiece-empty-vocab", "bert", t -> model(t).put("vocab", new LinkedHashMap<>()),
        "model.vocab is an object; allowed: a non-empty object");
    tokenizerCase("wordpiece-negative-id", "bert", t -> obj(model(t).get("vocab")).put("the", -1L),
        "model.vocab[\"the\"] is the integer -1");
    tokenizerCase("wordpiece-id-beyond-u32", "bert", t -> obj(model(t).get("vocab")).put("the", 1L << 40),
        "is the integer 1099511627776; allowed: an integer id from 0 to 2147483647");
    tokenizerCase("wordpiece-duplicate-id", "bert", t -> obj(model(t).get("vocab")).put("zzzz", 7L),
        "gives id 7 to both");
    tokenizerCase("wordpiece-added-token-wrong-id", "bert", t -> obj(list(t.get("added_tokens")).get(2)).put("id", 999L),
        "added_tokens[2] \"[CLS]\" has id 999 but the tokenizer gives it id 4");
    tokenizerCase("wordpiece-template-wrong-id", "bert",
        t -> obj(obj(obj(t.get("post_processor")).get("special_tokens")).get("[SEP]")).put("ids", List.of(77L)),
        "inserts \"[SEP]\" as id 77, but the tokenizer gives it id 5");
    tokenizerCase("wordpiece-template-unknown-special", "bert",
        t -> obj(obj(t.get("post_processor")).get("special_tokens")).remove("[SEP]"),
        "inserts the special token \"[SEP]\", which is not in special_tokens");
    tokenizerCase("wordpiece-single-template-with-b", "bert",
        t -> list(obj(t.get("post_processor")).get("single")).set(1, Map.of("Sequence", Map.of("id", "B", "type_id", 0L))),
        "places sequence B in the single-text template");
    tokenizerCase("wordpiece-catastrophic-regex", "bert",
        t -> t.put("pre_tokenizer", Map.of("type", "Split", "pattern", Map.of("Regex", "(a+)+$"),
            "behavior", "Isolated", "invert", false)),
        "nested quantifier");
    tokenizerCase("wordpiece-polynomial-regex", "bert",
        t -> t.put("pre_tokenizer", Map.of("type", "Split", "pattern", Map.of("Regex", "a*a*a*a*a*c"),
            "behavior", "Isolated", "invert", false)),
        "more than two unbounded quantifiers");
    tokenizerCase("unknown-model-kind", "bert", t -> model(t).put("type", "Magic"),
        "model.type is the string \"Magic\"; allowed: one of WordPiece, BPE, Unigram, WordLevel");
    tokenizerCase("not-a-tokenizer", "bert", t -> t.remove("model"), "model is null");
    // WordLevel, built from the BERT vocabulary
    tokenizerCase("wordlevel-valid", "bert", t -> t.put("model", wordLevel(t, "[UNK]")), "OK");
    tokenizerCase("wordlevel-unk-not-in-vocab", "bert", t -> t.put("model", wordLevel(t, "<unk>")),
        "model.unk_token \"<unk>\" is not in model.vocab, so the WordLevel tokenizer fails");
    // BPE (ModernBERT, byte-level)
    tokenizerCase("bpe-valid", "modernbert", t -> { }, "OK");
    tokenizerCase("bpe-unk-not-in-vocab", "modernbert", t -> model(t).put("unk_token", "<unk-missing>"),
        "model.unk_token \"<unk-missing>\" is not in model.vocab, so the BPE tokenizer fails");
    tokenizerCase("bpe-prefix-longer-than-merge", "modernbert", t -> model(t).put("continuing_subword_prefix", "########"),
        "merges whose second part starts with the continuing_subword_prefix");
    // Unigram (XLM-R, with a Precompiled normaliser)
    tokenizerCase("unigram-valid", "xlm-roberta", t -> { }, "OK");
    tokenizerCase("unigram-no-unk-id", "xlm-roberta", t -> model(t).put("unk_id", null), "model.unk_id is null");
    tokenizerCase("unigram-unk-id-out-of-range", "xlm-roberta", t -> model(t).put("unk_id", 1_000_000L),
        "model.unk_id is the integer 1000000; allowed: an index into model.vocab");
    tokenizerCase("unigram-empty-vocab", "xlm-roberta", t -> model(t).put("vocab", new ArrayList<>()),
        "model.vocab is a list of 0 items");
    tokenizerCase("unigram-charsmap-truncated", "xlm-roberta", t -> editCharsmap(t, b -> java.util.Arrays.copyOf(b, 4000)),
        "precompiled_charsmap is corrupt");
    tokenizerCase("unigram-charsmap-missing", "xlm-roberta", t -> editNormalizer(t, n -> n.remove("precompiled_charsmap")),
        "precompiled_charsmap is null; allowed: the base64 string");
    tokenizerCase("unigram-charsmap-unpadded", "xlm-roberta",
        t -> editNormalizer(t, n -> n.put("precompiled_charsmap", ((String) n.get("precompiled_charsmap")).substring(0, 4001))),
        "precompiled_charsmap is the string");
    tokenizerCase("unigram-charsmap-wild-pointers", "xlm-roberta", t -> editCharsmap(t, HostileTokenizerCorpusTest::scramble),
        "precompiled_charsmap is corrupt");
    // tokenizer_config.json and files that are not tokenizers at all
    configCase("config-negative-max-length", "bert", "{\"model_max_length\": -5}",
        "model_max_length is the integer -5; allowed: a whole number of tokens >= 1");
    configCase("config-string-max-length", "bert", "{\"model_max_length\": \"512\"}",
        "model_max_length is the string \"512\"");
    configCase("config-max-length-below-specials", "bert", "{\"model_max_length\": 2}",
        "leaves no room for text: a pair takes 3 special tokens; allowed: at least 5");
    configCase("config-not-utf8", "bert", "{}", "tokenizer_config.json is not UTF-8 text (byte 0xfe at offset 1");
    Files.write(dir.resolve("config-not-utf8/tokenizer_config.json"), new byte[] {'{', (byte) 0xfe, '}'});
    Path random = Files.createDirectories(dir.resolve("random-bytes"));
    byte[] bytes = new byte[4096];
    new Random(15).nextBytes(bytes);
    bytes[0] = (byte) 0xff;
    Files.write(random.resolve("tokenizer.json"), bytes);
    EXPECTED.put("random-bytes", "is not UTF-8 text (byte 0xff at offset 0");
    Path list = Files.createDirectories(dir.resolve("json-list"));
    Files.writeString(list.resolve("tokenizer.json"), "[1, 2]");
    EXPECTED.put("json-list", "the file is a list of 2 items");
  }

  static Map<String, Object> wordLevel(Map<String, Object> t, String unk) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "WordLevel");
    m.put("vocab", model(t).get("vocab"));
    m.put("unk_token", unk);
    return m;
  }

  static void editNormalizer(Map<String, Object> t, Consumer<Map<String, Object>> edit) {
    Map<String, Object> n = obj(t.get("normalizer"));
    edit.accept("Precompiled".equals(n.get("type")) ? n : obj(list(n.get("normalizers")).get(0)));
  }

  static void editCharsmap(Map<String, Object> t, java.util.function.UnaryOperator<byte[]> edit) {
    Map<String, Object> n = obj(t.get("normalizer"));
    Map<String, Object> pre = "Precompiled".equals(n.get("type")) ? n : obj(list(n.get("normalizers")).get(0));
    byte[] b = Base64.getDecoder().decode((String) pre.get("precompiled_charsmap"));
    pre.put("precompiled_charsmap", Base64.getEncoder().encodeToString(edit.apply(b)));
  }

  /** Sets high offset bits in every trie unit: the trie then points far outside itself. */
  static byte[] scramble(byte[] b) {
    byte[] out = b.clone();
    int trieBytes = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0);
    for (int i = 4 + 3; i < 4 + trieBytes; i += 4) {
      out[i] = (byte) 0x7f;
    }
    return out;
  }

  @Test
  void every_hostile_tokenizer_ends_in_a_typed_error_or_a_clean_encode_and_the_jvm_lives() {
    List<String> args = EXPECTED.keySet().stream().map(n -> dir.resolve(n).toString()).toList();
    ChildJvm.Result r = ChildJvm.run(TokenizerProbe.class, Duration.ofMinutes(3), List.of("-Xmx1g"), args.toArray(String[]::new));
    assertThat(r.exitCode()).as("the child JVM must survive every file: %s", r).isZero();
    assertThat(r.lines()).as("%s", r).contains("ALIVE");
    Map<String, String> outcome = new LinkedHashMap<>();
    for (String line : r.lines()) {
      String[] parts = line.split(" ", 3);
      if (parts.length >= 2 && !parts[0].equals("START")) {
        outcome.put(parts[1], parts[0] + (parts.length > 2 ? " " + parts[2] : ""));
      }
    }
    for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
      String got = outcome.get(e.getKey());
      if (e.getValue().equals("OK")) {
        assertThat(got).as(e.getKey()).isEqualTo("OK");
      } else {
        assertThat(got).as(e.getKey()).startsWith("TYPED ModelLoadException: ").contains(e.getValue());
      }
    }
  }
}
