package dev.refinery.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.table.LlmSchemas;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

class JournalCodecTest {
  private final JournalCodec codec = new JournalCodec(LlmSchemas.LLM_CALLS);

  private static Row answer() {
    Row top = RowFactory.create("Yes", -0.25);
    Row token = RowFactory.create("Yes", Double.NaN, CollectionConverters.asScala(List.of(top)).toList());
    return RowFactory.create("0123abcd", "smollm2", "{\"messages\":[]}", 2, "ok", "Yes, \"quoted\"\nand é",
        "stop", CollectionConverters.asScala(List.of(token)).toList(), 12, 1, 340L, null, 1, "run-1",
        new Timestamp(1_764_600_000_123L));
  }

  @Test
  void anAnswerSurvivesTheRoundTripWithNestedLogprobsNanAndNulls() {
    String line = codec.toLine(answer());
    Row back = codec.fromLine(line);

    assertThat(line).doesNotContain("\n");
    assertThat(back.getString(5)).isEqualTo("Yes, \"quoted\"\nand é");
    assertThat(back.isNullAt(11)).isTrue();
    assertThat(back.getTimestamp(14)).isEqualTo(new Timestamp(1_764_600_000_123L));
    Row token = back.<Row>getList(7).get(0);
    assertThat(token.getDouble(1)).isNaN();
    assertThat(token.<Row>getList(2).get(0).getDouble(1)).isEqualTo(-0.25);
    assertThat(codec.toLine(back)).isEqualTo(line);
  }

  @Test
  void aLineCutOffByAKillOrMissingARequiredFieldReadsAsNothing() {
    String line = codec.toLine(answer());
    assertThat(codec.fromLine(line.substring(0, line.length() - 3))).isNull();
    assertThat(codec.fromLine(line.replace("\"status\":\"ok\",", ""))).isNull();
    assertThat(codec.fromLine("")).isNull();
  }
}
