package dev.refinery.synthesis.cai;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.llm.GenerationOptions;
import dev.refinery.synthesis.quality.LanguageGate;

/** {@code cai.*}, validated at start-up. */
public record CaiOptions(
    String hhRlhfPath,
    String caiSamplesDir,
    String principlesPath,
    String fewShotPath,
    int maxPrompts,
    int rounds,
    int fewShotExamples,
    long seed,
    GenerationOptions initial,
    GenerationOptions critique,
    GenerationOptions revision,
    boolean dropRefusals,
    LanguageGate languageGate) {

  static final String PREFIX = "cai";

  public static CaiOptions fromConfig(RefineryConfig config) {
    return new CaiOptions(
        config.getString(PREFIX + ".hh-rlhf-path"),
        config.getString(PREFIX + ".cai-samples-dir"),
        config.getString(PREFIX + ".principles-path"),
        config.getString(PREFIX + ".few-shot-path"),
        config.getInt(PREFIX + ".max-prompts", 1, 100_000_000),
        config.getInt(PREFIX + ".rounds", 1, 16),
        config.getInt(PREFIX + ".few-shot-examples", 0, 5),
        config.getLong(PREFIX + ".seed"),
        GenerationOptions.fromConfig(config, PREFIX + ".initial"),
        GenerationOptions.fromConfig(config, PREFIX + ".critique"),
        GenerationOptions.fromConfig(config, PREFIX + ".revision"),
        config.getBoolean(PREFIX + ".drop-refusals"),
        LanguageGate.fromConfig(config, PREFIX + ".language-gate"));
  }
}
