package dev.rerankers.monovlm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerankers.Catalog;
import dev.rerankers.ConfigException;
import dev.rerankers.monovlm.internal.MonoVlmSettings;
import dev.rerankers.spi.OptionValues;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The options of a load become one settings record: defaults from the declarations, Hub options passed on, no secret shown. */
class SettingsTest {
  static final String TOKEN = "hf_abcdefghijklmnopqrstuvwxyz0123";

  static MonoVlmSettings settings(Map<String, String> raw) {
    return MonoVlmProvider.settings(OptionValues.parse(Catalog.options("monovlm"), raw, "test"));
  }

  @Test
  void should_fill_defaults_from_the_declarations_and_pass_the_hub_options_on_without_showing_the_token() {
    MonoVlmSettings s = settings(Map.of("hfToken", TOKEN, "offline", "yes", "device", "cpu"));
    assertThat(s.batchSize()).isEqualTo(1);
    assertThat(s.tokenFalse()).isEqualTo("False");
    assertThat(s.tokenTrue()).isEqualTo("True");
    assertThat(s.images().maxBytes()).isEqualTo(64L << 20);
    assertThat(s.images().maxPixels()).isEqualTo(50_000_000L);
    assertThat(s.images().allowUrls()).isFalse();
    assertThat(s.minPixels()).isEmpty();
    assertThat(s.hubOptions()).isEqualTo(Map.of("hfToken", TOKEN, "offline", "true"));
    assertThat(s.toString()).doesNotContain(TOKEN).contains("hfToken");
  }

  @Test
  void should_refuse_max_length_and_check_ranges_on_the_declarations() {
    assertThatThrownBy(() -> settings(Map.of("maxLength", "10"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("maxLength").hasMessageContaining("maxPixels");
    assertThatThrownBy(() -> settings(Map.of("minPixels", "0"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("minPixels");
    assertThatThrownBy(() -> settings(Map.of("maxImageBytes", "2147483647"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("maxImageBytes");
    assertThatThrownBy(() -> settings(Map.of("promptTemplate", "no placeholder"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("{query}");
  }
}
