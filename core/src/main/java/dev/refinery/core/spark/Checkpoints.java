package dev.refinery.core.spark;

import org.apache.spark.sql.Dataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a Dataset's lineage in the way that survives the deployment it runs on.
 *
 * <p>A local checkpoint keeps its blocks on the executors that computed them: when one of those executors
 * dies, the blocks are gone, the lineage was cut, and the job fails ("cannot be recomputed"). On a cluster this
 * therefore writes a reliable checkpoint to the session's checkpoint directory, which the stage runner sets under
 * the lakehouse for each stage and deletes after it. In local mode every task runs in the driver's JVM, so no
 * executor can be lost alone, and the cheaper local checkpoint is used.
 */
public final class Checkpoints {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
  private static volatile boolean warned;

  private Checkpoints() {}

  /** {@code rows}, materialised now, with a lineage that starts here. */
  public static <T> Dataset<T> of(Dataset<T> rows) {
    var context = rows.sparkSession().sparkContext();
    if (context.isLocal()) {
      return rows.localCheckpoint(true);
    }
    if (context.getCheckpointDir().isEmpty()) {
      if (!warned) {
        warned = true;
        LOG.warn("No Spark checkpoint directory is set (the stage runner sets one under the lakehouse): "
            + "checkpointing locally, so losing an executor fails the job");
      }
      return rows.localCheckpoint(true);
    }
    return rows.checkpoint(true);
  }
}
