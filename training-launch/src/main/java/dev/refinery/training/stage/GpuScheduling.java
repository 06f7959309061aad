package dev.refinery.training.stage;

import ai.djl.Device;
import ai.djl.engine.Engine;
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

  /** Task resources from {@code training.resources}. */
  public record Resources(double taskGpus, int taskCpus) implements java.io.Serializable {}

  /** {@code rdd} with the GPU profile attached, or as-is (with a log line saying why) in local mode. */
  public static <T> JavaRDD<T> withGpus(JavaRDD<T> rdd, SparkSession spark, Resources resources, String stage) {
    String master = spark.sparkContext().master();
    if (resources.taskGpus() <= 0) {
      LOG.info("Stage {}: training.resources.task-gpus = 0: tasks request no GPU and run on the CPU", stage);
      return rdd;
    }
    if (master.startsWith("local")) {
      LOG.warn("Stage {}: Spark master is {}: the ResourceProfile (task gpu = {}, cpus = {}) is NOT applied in "
          + "local mode; tasks run in this JVM on {} (DJL PyTorch, {} GPU(s) visible)", stage, master,
          resources.taskGpus(), resources.taskCpus(), Engine.getEngine("PyTorch").defaultDevice(),
          Engine.getEngine("PyTorch").getGpuCount());
      return rdd;
    }
    ResourceProfile profile = new ResourceProfileBuilder()
        .require(new TaskResourceRequests().cpus(resources.taskCpus()).resource("gpu", resources.taskGpus()))
        .build();
    LOG.info("Stage {}: tasks run under ResourceProfile {} (task gpu = {}, cpus = {})", stage, profile.id(),
        resources.taskGpus(), resources.taskCpus());
    return rdd.withResources(profile);
  }

  /** The GPU Spark gave this task, if DJL can use it; otherwise DJL's default device (GPU 0 or the CPU). */
  public static Device taskDevice() {
    Engine engine = Engine.getEngine("PyTorch");
    TaskContext task = TaskContext.get();
    if (task != null && engine.getGpuCount() > 0) {
      Option<ResourceInformation> gpu = task.resources().get("gpu");
      if (gpu.isDefined() && gpu.get().addresses().length > 0) {
        return Device.gpu(Integer.parseInt(gpu.get().addresses()[0].trim()));
      }
    }
    return engine.defaultDevice();
  }
}
