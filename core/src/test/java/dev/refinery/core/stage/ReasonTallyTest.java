package dev.refinery.core.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.error.RefineryException;
import dev.refinery.core.testing.SharedSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ReasonTallyTest {
  private static final List<String> REASONS = Arrays.asList(null, "too_short", null, "llm_call_failed", "too_short",
      null, "rouge_l_too_similar");

  @Test
  void countsAndResultsEqualReasonCountsOverTheSameRows() {
    ReasonTally tally = new ReasonTally();
    List<Row> rows = new ArrayList<>();
    for (String reason : REASONS) {
      if (reason == null) {
        tally.keep();
      } else {
        tally.drop(reason);
      }
      rows.add(RowFactory.create(reason));
    }
    StructType schema = new StructType().add("reason", DataTypes.StringType, true);
    Map<String, Long> counted = ReasonCounts.count(SharedSpark.session().createDataFrame(rows, schema), "reason");

    assertThat(tally.counts()).isEqualTo(counted)
        .isEqualTo(Map.of("", 3L, "llm_call_failed", 1L, "rouge_l_too_similar", 1L, "too_short", 2L));
    assertThat(tally.counts().keySet()).containsExactly("", "llm_call_failed", "rouge_l_too_similar", "too_short");
    assertThat(tally.into(StageResult.builder()).build())
        .isEqualTo(ReasonCounts.toResult(counted, StageResult.builder()).build());
  }

  @Test
  void quarantinedRowsCountInButNotOut() {
    StageResult result = new ReasonTally().keep(5).drop("non_text_response", 2).quarantine(3)
        .into(StageResult.builder()).build();
    assertThat(result.rowsIn()).isEqualTo(10);
    assertThat(result.rowsOut()).isEqualTo(5);
    assertThat(result.droppedByReason()).isEqualTo(Map.of("non_text_response", 2L));
    assertThat(result.rowsQuarantined()).isEqualTo(3);
  }

  @Test
  void mergesReasonCountsMapsAndLeavesOutWhatNeverHappened() {
    ReasonTally tally = new ReasonTally().drop("too_long", 0).addAll(Map.of("", 4L, "too_long", 1L))
        .addAll(Map.of("too_long", 2L));
    assertThat(tally.counts()).isEqualTo(Map.of("", 4L, "too_long", 3L));
    assertThat(tally.kept()).isEqualTo(4);
    assertThat(new ReasonTally().drop("x", 0).counts()).isEmpty();
  }

  @Test
  void rejectsBlankReasonsAndNegativeCounts() {
    assertThatThrownBy(() -> new ReasonTally().drop(" ")).isInstanceOf(RefineryException.class)
        .hasMessage("Invalid drop reason: ' ' (must not be blank)");
    assertThatThrownBy(() -> new ReasonTally().keep(-1)).isInstanceOf(RefineryException.class)
        .hasMessage("Invalid count for reason '': -1 (must be >= 0)");
  }
}
