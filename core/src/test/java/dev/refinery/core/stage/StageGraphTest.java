package dev.refinery.core.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageGraphTest {
  private static StageSpec.Builder stage(String name) {
    return StageSpec.builder(name).description(name);
  }

  @Test
  void ordersProducersBeforeConsumersWithTiesBrokenByName() {
    StageGraph graph = StageGraph.of(List.of(
        stage("score").reads("raw").readsIfPresent("model").writes("scored").build(),
        stage("zingest").writes("raw").build(),
        stage("train").writes("model").build(),
        stage("alpha").writes("other").build(),
        stage("dedup").reads("raw").readsIfPresent("scored").writes("clean").build()));

    assertThat(graph.order()).containsExactly("alpha", "train", "zingest", "score", "dedup");
    assertThat(graph.upstream("score")).containsExactlyInAnyOrder("zingest", "train");
    assertThat(graph.upstream("dedup")).containsExactlyInAnyOrder("zingest", "score");
  }

  @Test
  void writersOfOneTableRunOneAfterAnotherAndIgnoreEachOthersReads() {
    // Both read and write clusters (each excludes what the other removed): no cycle, name order, a chain.
    StageGraph graph = StageGraph.of(List.of(
        stage("dedup-b").reads("raw").readsIfPresent("clusters").writes("clusters").build(),
        stage("dedup-a").reads("raw").readsIfPresent("clusters").writes("clusters").build(),
        stage("ingest").writes("raw").build(),
        stage("report").reads("clusters").writes("summary").build()));

    assertThat(graph.order()).containsExactly("ingest", "dedup-a", "dedup-b", "report");
    assertThat(graph.upstream("dedup-a")).containsExactly("ingest");
    assertThat(graph.upstream("dedup-b")).containsExactlyInAnyOrder("ingest", "dedup-a");
    assertThat(graph.upstream("report")).containsExactlyInAnyOrder("dedup-a", "dedup-b");
  }

  @Test
  void aCycleFailsNamingItsStages() {
    assertThatThrownBy(() -> StageGraph.of(List.of(
        stage("a").reads("y").writes("x").build(),
        stage("b").reads("x").writes("y").build(),
        stage("c").writes("z").build())))
        .hasMessage("Cannot order the stages: their reads and writes form a cycle among a, b");
  }

  @Test
  void jsonListsEveryStageInOrderWithItsTablesAndUpstream() throws Exception {
    StageGraph graph = StageGraph.of(List.of(
        stage("score").reads("raw").writes("scored").config("perplexity")
            .rowsIn(RowsIn.table("raw")).rowsOut(RowsOut.committedTo("scored")).build(),
        stage("ingest").writes("raw").config("ingest").build()));

    JsonNode json = new ObjectMapper().readTree(graph.toJson());

    assertThat(json.get("format").asInt()).isEqualTo(1);
    assertThat(json.get("stages")).hasSize(2);
    JsonNode score = json.get("stages").get(1);
    assertThat(score.get("name").asText()).isEqualTo("score");
    assertThat(score.get("reads").get(0).asText()).isEqualTo("raw");
    assertThat(score.get("writes").get(0).asText()).isEqualTo("scored");
    assertThat(score.get("upstream").get(0).asText()).isEqualTo("ingest");
    assertThat(score.get("rows_in").asText()).isEqualTo("table:raw");
    assertThat(score.get("rows_out").asText()).isEqualTo("table:scored");
    assertThat(json.get("stages").get(0).get("rows_in").asText()).isEqualTo("reported");
  }

  @Test
  void aSpecThatCountsFromATableItDoesNotDeclareIsRejected() {
    assertThatThrownBy(() -> stage("x").writes("out").rowsIn(RowsIn.table("raw")).build())
        .hasMessage("Invalid stage x: rows in are counted from raw, which is not one of its inputs");
    assertThatThrownBy(() -> stage("x").writes("out").rowsOut(RowsOut.committedTo("other")).build())
        .hasMessage("Invalid stage x: rows out are counted from other, which is not one of its outputs");
  }
}
