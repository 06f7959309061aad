package dev.refinery.synthesis;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.testing.ConfigSectionContract;
import dev.refinery.synthesis.cai.CaiProvider;
import dev.refinery.synthesis.selfinstruct.SelfInstructProvider;
import java.util.List;

/** synthesis's sections of conf/application.conf, pinned key by key, and read when its stages are built. */
class SynthesisConfigTest extends ConfigSectionContract {
  @Override
  protected List<String> sections() {
    return List.of("cai", "self-instruct");
  }

  @Override
  protected void readAtStartUp(RefineryConfig config) {
    new CaiProvider().create(config);
    new SelfInstructProvider().create(config);
  }

  @Override
  protected String pinnedDefaults() {
    return """
        cai.cai-samples-dir = "samples/cai/samples"
        cai.critique.max-tokens = 80
        cai.critique.temperature = 0.7
        cai.critique.top-p = 0.95
        cai.drop-refusals = false
        cai.few-shot-examples = 1
        cai.few-shot-path = "samples/cai/CritiqueRevisionFewShotPrompts.json"
        cai.hh-rlhf-path = "samples/hh-rlhf/harmless-base/test.jsonl.gz"
        cai.initial.max-tokens = 96
        cai.initial.temperature = 0.7
        cai.initial.top-p = 0.95
        cai.language-gate.languages = ["english","german","french","spanish","italian","portuguese","dutch","russian","chinese","japanese","arabic","hindi"]
        cai.language-gate.min-chars = 40
        cai.language-gate.min-confidence = 0.9
        cai.max-prompts = 3
        cai.principles-path = "samples/cai/CritiqueRevisionInstructions.json"
        cai.revision.max-tokens = 96
        cai.revision.temperature = 0.7
        cai.revision.top-p = 0.95
        cai.rounds = 2
        cai.seed = 7
        self-instruct.classification-examples = 6
        self-instruct.classify.max-tokens = 3
        self-instruct.classify.temperature = 0
        self-instruct.classify.top-p = 1
        self-instruct.drop-refusals = true
        self-instruct.generate.max-tokens = 160
        self-instruct.generate.temperature = 0.7
        self-instruct.generate.top-p = 0.5
        self-instruct.human-examples = 6
        self-instruct.instance-examples = 2
        self-instruct.instances.max-tokens = 96
        self-instruct.instances.temperature = 0.7
        self-instruct.instances.top-p = 0.5
        self-instruct.language-gate.languages = ["english","german","french","spanish","italian","portuguese","dutch","russian","chinese","japanese","arabic","hindi"]
        self-instruct.language-gate.min-chars = 40
        self-instruct.language-gate.min-confidence = 0.9
        self-instruct.machine-examples = 2
        self-instruct.max-rounds = 2
        self-instruct.max-words = 150
        self-instruct.min-words = 3
        self-instruct.prompts-per-round = 2
        self-instruct.rouge-l-threshold = 0.7
        self-instruct.seed = 42
        self-instruct.seed-tasks = "samples/selfinstruct/seed_tasks.jsonl"
        self-instruct.target-instructions = 6
        """;
  }
}
