package dev.rerankers.transformers.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.Reranker;
import dev.rerankers.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json fields fail with messages naming the file, the field, what was found and what is allowed. */
class ConfigJsonTest {
  @TempDir Path dir;

  ConfigJson config(String json) throws IOException {
    Path f = dir.resolve("config.json");
    Files.writeString(f, json);
    return ConfigJson.read(f);
  }

  @Test
  void should_say_a_huge_integer_is_out_of_range_not_overflow() throws IOException {
    ConfigJson c = config("{\"max_position_embeddings\": 1e12}");
    assertThatThrownBy(() -> c.integer("max_position_embeddings", 512))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(dir.resolve("config.json").toString())
        .hasMessageContaining("max_position_embeddings is the number 1000000000000.0")
        .hasMessageContaining("allowed: an integer from -2147483648 to 2147483647")
        .hasMessageNotContaining("overflow");
  }

  @Test
  void should_say_a_number_written_as_a_string_is_a_string() throws IOException {
    ConfigJson c = config("{\"hidden_size\": \"32\"}");
    assertThatThrownBy(() -> c.integer("hidden_size"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("config.json: hidden_size is the string \"32\"; allowed: an integer written as a JSON number");
    assertThat(config("{\"hidden_size\": 32.0}").integer("hidden_size")).isEqualTo(32);
  }

  @Test
  void should_refuse_non_finite_numbers_and_wrong_types() throws IOException {
    ConfigJson c = config("{\"layer_norm_eps\": 1e999, \"hidden_act\": 3, \"tie_word_embeddings\": \"yes\"}");
    assertThatThrownBy(() -> c.number("layer_norm_eps", 1e-12)).hasMessageContaining("layer_norm_eps is the number Infinity; allowed: a finite number");
    assertThatThrownBy(() -> c.string("hidden_act", "gelu")).hasMessageContaining("hidden_act is the integer 3; allowed: a string");
    assertThatThrownBy(() -> c.bool("tie_word_embeddings", true)).hasMessageContaining("is the string \"yes\"; allowed: true or false");
  }

  @Test
  void should_say_random_bytes_are_not_utf8_instead_of_input_length() throws IOException {
    Path f = dir.resolve("config.json");
    Files.write(f, new byte[] {'{', '"', (byte) 0xc3, (byte) 0x28, '"', '}'});
    assertThatThrownBy(() -> ConfigJson.read(f))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(f + " is not UTF-8 text (byte 0xc3 at offset 2")
        .hasMessageNotContaining("Input length");
  }

  @Test
  void should_name_the_file_when_a_config_record_refuses_a_cross_field_rule() throws IOException {
    Path model = dir.resolve("model");
    TestFiles.copyTree(TestFiles.resource("e2e/bert/config.json").getParent(), model);
    String json = Files.readString(model.resolve("config.json")).replace("\"num_attention_heads\": 4", "\"num_attention_heads\": 3");
    assertThat(json).contains("\"num_attention_heads\": 3");
    Files.writeString(model.resolve("config.json"), json);
    assertThatThrownBy(() -> Reranker.load("cross-encoder:" + model).close())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(model.resolve("config.json") + ": hidden_size 32 is not a multiple of num_attention_heads 3");
  }
}
