package dev.refinery.annotation;

import dev.refinery.annotation.agreement.AgreementProvider;
import dev.refinery.annotation.imports.ImportLabelsProvider;
import dev.refinery.annotation.imports.ImportPairsStageProvider;
import dev.refinery.annotation.judge.JudgeProvider;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.testing.ConfigSectionContract;
import java.util.List;
import java.util.Set;

/** annotation's sections of conf/application.conf, pinned key by key, and read when its stages are built. */
class AnnotationConfigTest extends ConfigSectionContract {
  @Override
  protected List<String> sections() {
    return List.of("import-pairs", "judge", "import-labels", "agreement");
  }

  @Override
  protected void readAtStartUp(RefineryConfig config) {
    new ImportPairsStageProvider().create(config);
    new JudgeProvider().create(config);
    new ImportLabelsProvider().create(config);
    new AgreementProvider().create(config);
  }

  @Override
  protected Set<String> optionalKeys() {
    return Set.of("import-labels.source-name");
  }

  @Override
  protected String pinnedDefaults() {
    return """
        import-pairs.max-pairs = 0
        import-pairs.paths = []
        import-pairs.source-name = "hh-rlhf"
        judge.few-shot = 2
        judge.few-shot-file = "samples/cai/RLMadisonFewShotPrompts.json"
        judge.logprobs = "auto"
        judge.max-pairs = 0
        judge.max-tokens = 8
        judge.orders = ["AB","BA"]
        judge.principles = 2
        judge.principles-file = "samples/cai/RLMadisonInstructions.json"
        judge.samples = 1
        judge.seed = 0
        judge.sources = []
        judge.temperature = 0.7
        judge.tie-margin = 0
        judge.top-logprobs = 10
        import-labels.format = "generic"
        import-labels.generic.item-field = "item"
        import-labels.generic.label-field = "label"
        import-labels.generic.rater-field = "rater"
        import-labels.generic.rater-kind = "human"
        import-labels.label-studio.item-field = "pair_id"
        import-labels.labels.a = ["A","1","left","chosen","response1"]
        import-labels.labels.b = ["B","2","right","rejected","response2"]
        import-labels.labels.tie = ["tie","0","equal","draw","same"]
        import-labels.max-records = 0
        import-labels.pandalm.import-pairs = true
        import-labels.paths = []
        import-labels.source-name = ""
        agreement.aggregation = "majority"
        agreement.bootstrap.confidence-level = 0.95
        agreement.bootstrap.max-rater-pairs = 64
        agreement.bootstrap.resamples = 1000
        agreement.bootstrap.seed = 20260101
        agreement.dawid-skene.max-iterations = 100
        agreement.dawid-skene.max-local-patterns = 2000000
        agreement.dawid-skene.smoothing = 0.01
        agreement.dawid-skene.tolerance = 1.0E-9
        agreement.drop-ties = true
        agreement.min-agreement = 0.6
        agreement.min-raters = 2
        agreement.rater-kinds = ["ai","human"]
        agreement.require-chosen = false
        agreement.weight = "agreement-rate"
        """;
  }
}
