package dev.refinery.training.stage;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Stage-level scheduling for the training stages: the RDD whose tasks train or score gets a
 * {@link ResourceProfile} asking for {@code task-gpus} GPUs and {@code task-cpus} cores per task (the executors'
 * GPUs and discovery script come from {@code cluster.conf}). Spark applies task resource profiles on YARN,
 * Kubernetes and standalone clusters; in local mode it cannot, and this class says so in the log instead of
 * failing. Inside a task, {@link #taskDevice()} turns the GPU Spark assigned into a DJL device.
 */
public final class GpuScheduling {
  private static final Logger LOG = LoggerFactory.getLogger(GpuScheduling.class);

  private GpuScheduling() {}

  static final String TASK_GPUS = "training.resources.task-gpus";
  /** The executor GPU count a cluster declares (with a discovery script); unset means none. */
  static final String EXECUTOR_GPUS = "spark.executor.resource.gpu.amount";

  /**
   * Task resources from {@code training.resources}.
   *
   * @param taskGpus GPUs per task; {@link Double#NaN} for {@code auto} (one GPU when the executors declare GPUs,
   *     the CPU otherwise)
   */
  public record Resources(double taskGpus, int taskCpus) implements java.io.Serializable {
    public boolean auto() {
      return Double.isNaN(taskGpus);
    }
  }

  /** {@code training.resources.task-gpus}: {@code auto} or a number of GPUs in [0, 64]. */
  static double taskGpus(RefineryConfig config) {
    if (config.hasPath(TASK_GPUS) && config.getString(TASK_GPUS).trim().equalsIgnoreCase("auto")) {
      return Double.NaN;
    }
    return config.getDouble(TASK_GPUS, 0.0, 64.0);
  }

  /**
   * The GPUs each task asks for on this master, given the executors' declared GPU count: 0 runs on the CPU. A
   * request the executors cannot meet fails at once, naming the key, instead of leaving the tasks waiting forever.
   */
  static double gpusPerTask(Resources resources, String master, double executorGpus) {
    if (resources.auto()) {
      return master.startsWith("local") || executorGpus <= 0 ? 0.0 : Math.min(1.0, executorGpus);
    }
    if (resources.taskGpus() > 0 && !master.startsWith("local") && resources.taskGpus() > executorGpus) {
      throw RefineryException.userError("%s = %s asks for more GPUs per task than each executor declares (%s = %s):"
          + " declare executor GPUs with a discovery script (conf/cluster.conf), or set %s = auto or 0 to train on"
          + " the CPU", TASK_GPUS, resources.taskGpus(), EXECUTOR_GPUS, executorGpus, TASK_GPUS);
    }
    return resources.taskGpus();
  }

  /** {@code rdd} with the GPU profile attached, or as-is (with a log line saying why) on the CPU or in local mode. */
  public static <T> JavaRDD<T> withGpus(JavaRDD<T> rdd, SparkSession spark, Resources resources, String stage) {
    String master = spark.sparkContext().master();
    double executorGpus = Double.parseDouble(spark.sparkContext().getConf().get(EXECUTOR_GPUS, "0"));
    double gpus = gpusPerTask(resources, master, executorGpus);
    if (gpus <= 0) {
      LOG.info("Stage {}: {} = {}: tasks request no GPU and run on {}", stage, TASK_GPUS,
          resources.auto() ? "auto, and the executors declare no GPU," : "0", describeEngine());
      return rdd;
    }
    if (master.startsWith("local")) {
      LOG.warn("Stage {}: Spark master is {}: the ResourceProfile (task gpu = {}, cpus = {}) is NOT applied in "
          + "local mode; tasks run in this JVM on {}", stage, master, gpus, resources.taskCpus(), describeEngine());
      return rdd;
    }
    ResourceProfile profile = new ResourceProfileBuilder()
        .require(new TaskResourceRequests().cpus(resources.taskCpus()).resource("gpu", gpus))
        .build();
    LOG.info("Stage {}: tasks run under ResourceProfile {} (task gpu = {}, cpus = {})", stage, profile.id(),
        gpus, resources.taskCpus());
    return rdd.withResources(profile);
  }

  private static String describeEngine() {
    Engine engine = Engine.getEngine("PyTorch");
    return engine.defaultDevice() + " (DJL PyTorch, " + engine.getGpuCount() + " GPU(s) visible)";
  }

  /**
   * The GPU Spark gave this task, if DJL can use it; otherwise DJL's default device (GPU 0 or the CPU). Logs the
   * address Spark assigned, and once per JVM when DJL sees no CUDA device and so trains on the CPU instead.
   */
  public static Device taskDevice() {
    Engine engine = Engine.getEngine("PyTorch");
    TaskContext task = TaskContext.get();
    Option<ResourceInformation> gpu = task == null ? Option.empty() : task.resources().get("gpu");
    if (gpu.isDefined() && gpu.get().addresses().length > 0) {
      String address = gpu.get().addresses()[0].trim();
      if (engine.getGpuCount() > 0) {
        LOG.info("Task {} (partition {}): Spark assigned GPU {}; training on it", task.taskAttemptId(),
            task.partitionId(), address);
        return Device.gpu(Integer.parseInt(address));
      }
      if (!warnedNoCuda) {
        warnedNoCuda = true;
        LOG.warn("Task {} (partition {}): Spark assigned GPU {}, but DJL's PyTorch engine sees no CUDA device: "
            + "training on the CPU instead", task.taskAttemptId(), task.partitionId(), address);
      }
    }
    return engine.defaultDevice();
  }

  private static volatile boolean warnedNoCuda;
}
