package dev.refinery.training.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.testing.SharedSpark;
import org.junit.jupiter.api.Test;

/** What each training task asks for: a GPU request never waits for GPUs the cluster does not have. */
class GpuSchedulingTest {
  private static final GpuScheduling.Resources AUTO = new GpuScheduling.Resources(Double.NaN, 1);
  private static final GpuScheduling.Resources ONE = new GpuScheduling.Resources(1.0, 1);

  @Test
  void autoIsTheDefaultAndAsksForAGpuOnlyWhereExecutorsDeclareThem() {
    assertThat(GpuScheduling.taskGpus(SharedSpark.config())).isNaN();
    assertThat(GpuScheduling.gpusPerTask(AUTO, "spark://127.0.0.1:7077", 2)).isEqualTo(1.0);
    assertThat(GpuScheduling.gpusPerTask(AUTO, "spark://127.0.0.1:7077", 0)).isZero();
    assertThat(GpuScheduling.gpusPerTask(AUTO, "local[2]", 8)).isZero();
  }

  @Test
  void anExplicitRequestTheExecutorsCannotMeetFailsNamingTheKey() {
    assertThat(GpuScheduling.gpusPerTask(ONE, "spark://127.0.0.1:7077", 1)).isEqualTo(1.0);
    assertThatThrownBy(() -> GpuScheduling.gpusPerTask(ONE, "yarn", 0))
        .hasMessageContaining("training.resources.task-gpus = 1.0")
        .hasMessageContaining("spark.executor.resource.gpu.amount = 0.0");
    // Local mode cannot apply profiles at all: the request is logged as not applied, not refused.
    assertThat(GpuScheduling.gpusPerTask(ONE, "local[2]", 0)).isEqualTo(1.0);
    assertThat(GpuScheduling.gpusPerTask(new GpuScheduling.Resources(0.0, 1), "yarn", 0)).isZero();
  }

  @Test
  void taskGpusIsAutoOrANumberAndABadValueNamesTheKey() {
    assertThat(GpuScheduling.taskGpus(SharedSpark.config().with("training.resources.task-gpus", 0.5))).isEqualTo(0.5);
    assertThat(GpuScheduling.taskGpus(SharedSpark.config().with("training.resources.task-gpus", "AUTO"))).isNaN();
    assertThatThrownBy(() -> GpuScheduling.taskGpus(SharedSpark.config().with("training.resources.task-gpus", "many")))
        .hasMessageContaining("training.resources.task-gpus");
  }
}
