package dev.refinery.core.stage;

import dev.refinery.core.table.Lakehouse;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reliable checkpoint directory of one stage attempt on a cluster: {@code <lakehouse>/_checkpoints/<attempt>},
 * set as the Spark context's checkpoint directory while the stage runs and deleted when it ends, succeeded or
 * failed. In local mode nothing is set ({@link dev.refinery.core.spark.Checkpoints} checkpoints locally there).
 */
final class StageCheckpoints implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StageCheckpoints.class);
  static final String DIRECTORY = "_checkpoints";

  private final SparkSession spark;
  private final Path dir;

  private StageCheckpoints(SparkSession spark, Path dir) {
    this.spark = spark;
    this.dir = dir;
  }

  static StageCheckpoints open(SparkSession spark, Lakehouse lakehouse, String attempt) {
    if (spark.sparkContext().isLocal()) {
      return new StageCheckpoints(spark, null);
    }
    String id = attempt.replaceAll("[^A-Za-z0-9=._-]+", "_");
    Path dir = new Path(lakehouse.root() + "/" + DIRECTORY + "/" + id);
    // setCheckpointDir adds a random sub-folder; the stage's own folder is what gets deleted.
    spark.sparkContext().setCheckpointDir(dir.toString());
    return new StageCheckpoints(spark, dir);
  }

  @Override
  public void close() {
    if (dir == null) {
      return;
    }
    try {
      dir.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(dir, true);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot delete the stage's checkpoints at {}: {}", dir, e.getMessage());
    }
  }
}
