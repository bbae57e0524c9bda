package dev.rerankers.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rerankers.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionTest {
  private static final Option<Integer> CACHE_MB =
      Option.integer("cacheMb", "cache budget in MiB").atLeast(0).defaultValue(256);
  private static final Option<String> FORMAT =
      Option.choice("format", "checkpoint format", "auto", "safetensors", "onnx").defaultValue("auto");
  private static final Option<Boolean> SIGMOID = Option.bool("sigmoid", "scores through a sigmoid").defaultValue(false);
  private static final Option<String> PROJECTION = Option.text("projection", "projection weight key");

  @Test
  void parsesEachKindAndFillsDefaults() {
    OptionValues v = OptionValues.of(
        List.of(CACHE_MB, FORMAT, SIGMOID, PROJECTION, CommonOptions.BATCH_SIZE.defaultValue(32)),
        Map.of("cacheMb", " 0 ", "format", "ONNX", "sigmoid", "yes"));
    assertEquals(0, v.get(CACHE_MB));
    assertEquals("onnx", v.get(FORMAT));
    assertTrue(v.get(SIGMOID));
    assertTrue(v.optional(PROJECTION).isEmpty());
    assertFalse(v.isSet(PROJECTION));
    // reading the common declaration gives the backend's refined default
    assertEquals(32, v.get(CommonOptions.BATCH_SIZE));
    assertThrows(IllegalStateException.class, () -> v.get(PROJECTION));
    assertThrows(IllegalStateException.class, () -> v.get(CommonOptions.DEVICE));
  }

  @Test
  void messagesNameKeyValueAndWhatIsAllowed() {
    List<Option<?>> decl = List.of(CACHE_MB, FORMAT, SIGMOID);
    ConfigException range = assertThrows(ConfigException.class, () -> OptionValues.of(decl, Map.of("cacheMb", "-1")));
    assertEquals("option cacheMb must be integer >= 0, got -1", range.getMessage());
    ConfigException notInt = assertThrows(ConfigException.class, () -> OptionValues.of(decl, Map.of("cacheMb", "1e12")));
    assertEquals("option cacheMb must be an integer (>= 0), got '1e12'", notInt.getMessage());
    ConfigException choice = assertThrows(ConfigException.class, () -> OptionValues.of(decl, Map.of("format", "gguf")));
    assertEquals("option format must be one of auto, safetensors, onnx, got 'gguf'", choice.getMessage());
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> OptionValues.parse(decl, Map.of("cachemb", "1"), "type colbert (backend colbert)"));
    assertEquals("unknown option 'cachemb' for type colbert (backend colbert); allowed: cacheMb, format, sigmoid",
        unknown.getMessage());
  }

  @Test
  void secretValuesNeverAppear() {
    Option<Integer> weird = Option.integer("sessionToken", "a numeric token");
    assertTrue(weird.isSecret());
    assertTrue(Option.isSecretKey("apiKey") && Option.isSecretKey("hfToken") && Option.isSecretKey("dbPassword"));
    ConfigException e = assertThrows(ConfigException.class, () -> weird.parse("sk-123abc"));
    assertFalse(e.getMessage().contains("sk-123abc"), e.getMessage());
    OptionValues v = OptionValues.of(List.of(CommonOptions.API_KEY), Map.of("apiKey", "sk-live-42"));
    assertEquals("sk-live-42", v.get(CommonOptions.API_KEY));
    assertFalse(v.toString().contains("sk-live-42"), v.toString());
  }

  @Test
  void describesItselfForDocs() {
    assertEquals("integer >= 0", CACHE_MB.describeAllowed());
    assertEquals("256", CACHE_MB.describeDefault());
    assertEquals("auto | safetensors | onnx", FORMAT.describeAllowed());
    assertEquals("model_max_length",
        CommonOptions.MAX_LENGTH.defaultDescribed("model_max_length").describeDefault());
    assertEquals("none", PROJECTION.describeDefault());
    assertThrows(ConfigException.class, () -> CACHE_MB.defaultValue(-3));
  }
}
