package dev.rerankers.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PriceAndLatencyTest {

  @Test
  void prices_parse_counts_suffixes_and_specs_with_options() {
    Price p = Price.parse("cohere=2/1000search_units");
    assertThat(p).isEqualTo(new Price("cohere", 2, 1000, "search_units"));
    assertThat(p.cost(1.5)).isCloseTo(0.003, within(1e-15));
    assertThat(Price.parse("jina=0.02/1Mtokens")).isEqualTo(new Price("jina", 0.02, 1_000_000, "tokens"));
    assertThat(Price.parse("voyage=0.05/1M tokens")).isEqualTo(new Price("voyage", 0.05, 1_000_000, "tokens"));
    assertThat(Price.parse("x=1/2kTokens")).isEqualTo(new Price("x", 1, 2000, "tokens"));
    assertThat(Price.parse("pinecone=0.002/rerank_units").per()).isEqualTo(1);
    assertThat(Price.parse("cohere:rerank-v3.5?batchSize=8=2/1000search_units").spec())
        .isEqualTo("cohere:rerank-v3.5?batchSize=8");
  }

  @Test
  void bad_prices_say_what_is_expected() {
    assertThatThrownBy(() -> Price.parse("cohere")).hasMessageContaining("expected SPEC=AMOUNT/UNIT");
    assertThatThrownBy(() -> Price.parse("cohere=2")).hasMessageContaining("has no /UNIT");
    assertThatThrownBy(() -> Price.parse("cohere=two/tokens")).hasMessageContaining("'two' is not an amount");
    assertThatThrownBy(() -> Price.parse("cohere=2/1000")).hasMessageContaining("is not [COUNT]UNIT");
    assertThatThrownBy(() -> Price.parse("cohere=-1/tokens")).hasMessageContaining(">= 0");
  }

  @Test
  void percentiles_interpolate_linearly_between_ranks() {
    // 1, 2, 3, 4 ms: p50 sits halfway between 2 and 3; p95 at 0.95 * 3 = 2.85 ranks -> 3 + 0.85
    LatencyStats s = LatencyStats.ofNanos(new long[] {4_000_000, 1_000_000, 3_000_000, 2_000_000});
    assertThat(s.percentile(50)).isCloseTo(2.5, within(1e-12));
    assertThat(s.percentile(95)).isCloseTo(3.85, within(1e-12));
    assertThat(s.percentile(0)).isEqualTo(1.0);
    assertThat(s.percentile(100)).isEqualTo(4.0);
    assertThat(s.totalMillis()).isCloseTo(10.0, within(1e-12));
    assertThat(s.sortedMillis()).containsExactly(1, 2, 3, 4);
    assertThat(LatencyStats.ofNanos(new long[0]).percentile(99)).isEqualTo(0.0);
    assertThat(LatencyStats.ofNanos(new long[] {7_000_000}).percentile(99)).isEqualTo(7.0);
  }
}
