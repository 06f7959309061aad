package dev.refinery.core.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.error.RefineryException;
import dev.refinery.core.stage.StageResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmCallStatsTest {
  private static final LlmCallStats FIRST = new LlmCallStats(5, 2, 3, 1, 4, 100, 30, 1.5);
  private static final LlmCallStats SECOND = new LlmCallStats(4, 4, 0, 0, 0, 0, 0, 0.25);

  @Test
  void statesMergeByAddingUp() {
    LlmCallStats sum = LlmCallStats.builder().add(FIRST).add(SECOND).build();
    assertThat(sum).isEqualTo(new LlmCallStats(9, 6, 3, 1, 4, 100, 30, 1.75)).isEqualTo(FIRST.plus(SECOND));
    assertThat(LlmCallStats.builder().build()).isEqualTo(LlmCallStats.NONE);
    assertThat(FIRST.tokensPerSecond()).isEqualTo(20.0);
  }

  @Test
  void writesTheEightMetricsUnderTheSharedNamesAndReadsThemBack() {
    Map<String, String> metrics = FIRST.into(StageResult.builder().metric("rounds", 2)).build().metrics();
    assertThat(metrics).isEqualTo(Map.of("rounds", "2", "llm_requests", "5", "llm_cached", "2", "llm_made", "3",
        "llm_failed", "1", "llm_retries", "4", "llm_prompt_tokens", "100", "llm_completion_tokens", "30",
        "llm_seconds", "1.500"));
    assertThat(LlmCallStats.fromMetrics(metrics)).isEqualTo(FIRST);
  }

  @Test
  void rejectsFiguresThatDoNotAddUp() {
    assertThatThrownBy(() -> new LlmCallStats(5, 2, 3, 0, -1, 0, 0, 0)).isInstanceOf(RefineryException.class)
        .hasMessage("Invalid LLM call stats: negative figure in [5, 2, 3, 0, -1, 0, 0, 0.0]");
    assertThatThrownBy(() -> new LlmCallStats(1, 0, 1, 2, 0, 0, 0, 0)).isInstanceOf(RefineryException.class)
        .hasMessage("Invalid LLM call stats: failed 2 > made 1");
    assertThatThrownBy(() -> LlmCallStats.fromMetrics(Map.of("llm_made", "1"))).isInstanceOf(RefineryException.class)
        .hasMessageStartingWith("Cannot read LLM call stats: no metric llm_requests");
  }
}
