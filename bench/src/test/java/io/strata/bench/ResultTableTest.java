package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResultTableTest {

  @Test
  void markdown_rowsInOrder_pipesEscaped_notesBelow() {
    ResultTable table = new ResultTable();
    table.add(new ResultTable.Row("1", "a|b", "10", "5", "", "Strata/nginx " + ResultTable.times(2.0), "≥ 1.50×",
        ResultTable.verdict(true)));
    table.add(new ResultTable.Row("4", "GETs", "1", "1", "", "", "Strata = 1", ResultTable.verdict(false)));
    table.note("two cores");

    assertThat(table.markdown()).isEqualTo("""
        | # | measure | Strata | nginx slice cache | upstream direct | ratio (same run) | target | met |
        |---|---|---|---|---|---|---|---|
        | 1 | a\\|b | 10 | 5 |  | Strata/nginx 2.00× | ≥ 1.50× | yes |
        | 4 | GETs | 1 | 1 |  |  | Strata = 1 | NO |

        - two cores
        """);
  }

  @Test
  void overlaps_rangesAgainstABlock() {
    long first = 2L << 20;
    long last = (3L << 20) - 1;
    assertThat(CoalescingScenario.overlaps("bytes=2097152-3145727", first, last)).isTrue();
    assertThat(CoalescingScenario.overlaps("bytes=0-1048575", first, last)).isFalse();
    assertThat(CoalescingScenario.overlaps("bytes=3145728-", first, last)).isFalse();
    assertThat(CoalescingScenario.overlaps("bytes=1048576-", first, last)).isTrue();
    assertThat(CoalescingScenario.overlaps("-", first, last)).isTrue();
  }
}
