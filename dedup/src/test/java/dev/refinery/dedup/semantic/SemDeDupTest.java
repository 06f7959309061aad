package dev.refinery.dedup.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.testing.SharedSpark;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SemDeDupTest {
  @Test
  void fewerDocumentsThanTheTargetClusterSizeFormOneClusterAroundTheMean() {
    StructType schema = new StructType()
        .add("doc_id", DataTypes.StringType)
        .add("perplexity", DataTypes.DoubleType)
        .add("embedding", DataTypes.createArrayType(DataTypes.FloatType));
    Dataset<Row> vectors = SharedSpark.session().createDataFrame(List.of(
        RowFactory.create("a", 10.0, new float[] {1f, 0f}),
        RowFactory.create("b", 10.0, new float[] {0.999f, 0.0447f}),
        RowFactory.create("c", 10.0, new float[] {0f, 1f})), schema);
    SemanticOptions options = SemanticOptions.from(SharedSpark.config());
    assertThat(options.clusters(3)).isEqualTo(1);

    Map<String, Row> clustered = SemDeDup.cluster(vectors, 1, options).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<String>getAs("doc_id"), r -> r));
    assertThat(clustered.values()).allSatisfy(r -> assertThat(r.<Integer>getAs("kmeans_cluster")).isZero());
    // The mean direction is closer to a and b than to c.
    assertThat(clustered.get("c").<Double>getAs("distance")).isGreaterThan(clustered.get("a").<Double>getAs("distance"));

    List<Row> groups = SemDeDup.prune(SemDeDup.cluster(vectors, 1, options), options).collectAsList();
    assertThat(groups).extracting(r -> r.<String>getAs("doc_id")).containsExactlyInAnyOrder("a", "b");
  }
}
