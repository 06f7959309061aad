package dev.refinery.synthesis.selfinstruct;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.llm.GenerationOptions;
import dev.refinery.synthesis.quality.LanguageGate;

/** {@code self-instruct.*}, validated at start-up. */
public record SelfInstructOptions(
    String seedTasks,
    int targetInstructions,
    int maxRounds,
    int promptsPerRound,
    int humanExamples,
    int machineExamples,
    double rougeLThreshold,
    int minWords,
    int maxWords,
    int classificationExamples,
    int instanceExamples,
    long seed,
    GenerationOptions generate,
    GenerationOptions classify,
    GenerationOptions instances,
    boolean dropRefusals,
    LanguageGate languageGate) {

  static final String PREFIX = "self-instruct";

  public static SelfInstructOptions fromConfig(RefineryConfig config) {
    int minWords = config.getInt(PREFIX + ".min-words", 0, 1000);
    int maxWords = config.getInt(PREFIX + ".max-words", 1, 100_000);
    config.check(PREFIX + ".max-words", maxWords, v -> v > minWords, "an integer > min-words (" + minWords + ")");
    return new SelfInstructOptions(
        config.getString(PREFIX + ".seed-tasks"),
        config.getInt(PREFIX + ".target-instructions", 1, 10_000_000),
        config.getInt(PREFIX + ".max-rounds", 1, 100_000),
        config.getInt(PREFIX + ".prompts-per-round", 1, 1_000_000),
        config.getInt(PREFIX + ".human-examples", 0, 100),
        config.getInt(PREFIX + ".machine-examples", 0, 100),
        config.getDouble(PREFIX + ".rouge-l-threshold", 0, 1),
        minWords,
        maxWords,
        config.getInt(PREFIX + ".classification-examples", 0, 100),
        config.getInt(PREFIX + ".instance-examples", 0, 100),
        config.getLong(PREFIX + ".seed"),
        GenerationOptions.fromConfig(config, PREFIX + ".generate"),
        GenerationOptions.fromConfig(config, PREFIX + ".classify"),
        GenerationOptions.fromConfig(config, PREFIX + ".instances"),
        config.getBoolean(PREFIX + ".drop-refusals"),
        LanguageGate.fromConfig(config, PREFIX + ".language-gate"));
  }
}
