package dev.rerankers.colbert.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.testing.TestFiles;
import dev.rerankers.tokenizers.HfTokenizer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The ColBERT query rule where Python itself would fail: augmentation past the model's positions. */
class ColbertRecipeTest {

  @Test
  void should_stop_the_mask_padding_at_the_last_position() {
    try (HfTokenizer tok = HfTokenizer.builder(dev.rerankers.hub.ModelSource.local(TestFiles.resource("e2e/colbert")))
        .maxLength(510).build()) {
      SpecialTokenLayout t = SpecialTokenLayout.of(tok, "colbert");
      assertThat(t).isEqualTo(new SpecialTokenLayout(1, 1));
      ColbertRecipe wide = new ColbertRecipe(tok, t, 1, 2, 6, 510, 512);
      ColbertRecipe narrow = new ColbertRecipe(tok, t, 1, 2, 6, 510, 40);
      String query = "a deficiency of vitamin b12 increases blood levels of homocysteine and folic acid lowers "
          + "them again in patients with coronary artery disease";
      TokenRow free = wide.query(query);
      int real = free.attendedCount();
      assertThat(real).isGreaterThan(32).isLessThan(40); // longer than ColBERT's classic 32: never cut
      assertThat(free.length()).isEqualTo(ColbertRecipe.augmentedQueryLength(real)).isGreaterThan(40);
      TokenRow capped = narrow.query(query);
      assertThat(capped.length()).isEqualTo(40);
      assertThat(capped.attendedCount()).isEqualTo(real);
      assertThat(Arrays.copyOf(capped.ids(), real)).containsExactly(Arrays.copyOf(free.ids(), real));
      assertThat(wide.divisor(free)).isEqualTo(real);
    }
  }
}
