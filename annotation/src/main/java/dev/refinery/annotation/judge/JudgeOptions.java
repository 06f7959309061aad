package dev.refinery.annotation.judge;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.model.ModelPaths;
import dev.refinery.llm.LlmSettings;
import java.io.Serializable;
import java.util.List;

/** The validated {@code judge.*} options. */
public record JudgeOptions(
    String principlesFile,
    String fewShotFile,
    int principles,
    int fewShot,
    List<String> orders,
    long maxPairs,
    List<String> sources,
    int maxTokens,
    int topLogprobs,
    boolean logprobs,
    int samples,
    double temperature,
    double tieMargin,
    long seed) implements Serializable {

  /** Whether to ask for log-probabilities: {@code auto} = when the engine can give them (llm.provider openai). */
  public enum Logprobs { AUTO, TRUE, FALSE }

  static final String PREFIX = "judge.";

  public static JudgeOptions from(RefineryConfig config) {
    List<String> orders = config.getStringList(PREFIX + "orders");
    config.check(PREFIX + "orders", orders,
        o -> !o.isEmpty() && o.stream().allMatch(s -> s.equals("AB") || s.equals("BA")) && o.stream().distinct().count() == o.size(),
        "a non-empty list of AB, BA");
    long maxPairs = config.getLong(PREFIX + "max-pairs");
    config.check(PREFIX + "max-pairs", maxPairs, v -> v >= 0, "0 (all) or a positive count");
    return new JudgeOptions(
        // Strings, not Paths: the options ship to executors inside the request-building closure.
        ModelPaths.resolve(config.getString(PREFIX + "principles-file")).toString(),
        ModelPaths.resolve(config.getString(PREFIX + "few-shot-file")).toString(),
        config.getInt(PREFIX + "principles", 0, 1000),
        config.getInt(PREFIX + "few-shot", 0, 100),
        orders, maxPairs,
        config.getStringList(PREFIX + "sources"),
        config.getInt(PREFIX + "max-tokens", 1, 4096),
        config.getInt(PREFIX + "top-logprobs", 1, 20),
        switch (config.getEnum(PREFIX + "logprobs", Logprobs.class)) {
          case TRUE -> true;
          case FALSE -> false;
          // The in-process llama.cpp engine cannot return log-probabilities (java-llama.cpp 4.2.0).
          case AUTO -> LlmSettings.fromConfig(config).provider() == LlmSettings.Provider.OPENAI;
        },
        config.getInt(PREFIX + "samples", 1, 1000),
        config.getDouble(PREFIX + "temperature", 0, 2),
        config.getDouble(PREFIX + "tie-margin", 0, 0.5),
        config.getLong(PREFIX + "seed"));
  }
}
