package dev.refinery.filtering;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.testing.ConfigSectionContract;
import dev.refinery.filtering.classifier.QualityClassifierTrainStageProvider;
import dev.refinery.filtering.decontamination.DecontaminateStageProvider;
import dev.refinery.filtering.perplexity.LmTrainStageProvider;
import dev.refinery.filtering.perplexity.PerplexityStageProvider;
import dev.refinery.filtering.quality.QualityFilterStageProvider;
import dev.refinery.filtering.quality.QualitySignalsStageProvider;
import java.util.List;
import java.util.Set;

/** filtering's sections of conf/application.conf, pinned key by key, and read when its stages are built. */
class FilteringConfigTest extends ConfigSectionContract {
  @Override
  protected List<String> sections() {
    return List.of("lm-train", "perplexity", "quality-filter", "quality-signals", "decontaminate",
        "quality-classifier-train");
  }

  @Override
  protected void readAtStartUp(RefineryConfig config) {
    new LmTrainStageProvider().create(config);
    new PerplexityStageProvider().create(config);
    new QualitySignalsStageProvider().create(config);
    new QualityFilterStageProvider().create(config);
    new DecontaminateStageProvider().create(config);
    new QualityClassifierTrainStageProvider().create(config);
  }

  @Override
  protected Set<String> optionalKeys() {
    return Set.of("lm-train.model-dir", "perplexity.model-path", "quality-classifier-train.model-dir");
  }

  @Override
  protected String pinnedDefaults() {
    return """
        decontaminate.action = "drop"
        decontaminate.broadcast-max-ngrams = 5000000
        decontaminate.check = ["documents","instructions","preference-pairs","cai-revisions"]
        decontaminate.eval-sets = [{"format":"jsonl","id-field":"","name":"hhh","path":"samples/cai/evals/438HHHEvaluations.jsonl.gz","text-fields":["text_correct","text_incorrect"]},{"format":"jsonl","id-field":"","name":"hh-rlhf-harmless-test","path":"samples/hh-rlhf/harmless-base/test.jsonl.gz","text-fields":["chosen","rejected"]}]
        decontaminate.ngram-size = 13
        lm-train.corpus-format = "wikitext"
        lm-train.corpus-paths = ["samples/reference-corpus/wikitext-2-raw.test.raw.gz"]
        lm-train.discount-fallback = [0.5,1,1.5]
        lm-train.model-dir = ""
        lm-train.order = 5
        perplexity.bucket-mode = "percentiles"
        perplexity.keep-buckets = ["head","middle"]
        perplexity.model-path = ""
        perplexity.percentiles = [30,60]
        perplexity.quantile-relative-error = 0.001
        perplexity.thresholds = [1000,3000]
        quality-classifier-train.elastic-net = 0
        quality-classifier-train.format = "jsonl"
        quality-classifier-train.held-out-fraction = 0.2
        quality-classifier-train.idf = true
        quality-classifier-train.label-field = "label"
        quality-classifier-train.max-iterations = 100
        quality-classifier-train.model-dir = ""
        quality-classifier-train.negative-label = "0"
        quality-classifier-train.num-features = 262144
        quality-classifier-train.paths = ["samples/web-sample/dclm-human-quality/majority_data.jsonl.gz"]
        quality-classifier-train.positive-label = "1"
        quality-classifier-train.reg-param = 0.01
        quality-classifier-train.seed = 42
        quality-classifier-train.text-field = "text"
        quality-classifier-train.threshold = 0.5
        quality-filter.languages = []
        quality-filter.min-language-confidence = 0.5
        quality-filter.min-quality-score = 0
        quality-filter.presets = ["gopher"]
        quality-filter.rules = []
        quality-signals.language-max-chars = 2000
        quality-signals.languages = ["english","german","french","spanish","italian","portuguese","dutch","russian","chinese","japanese","arabic","hindi"]
        quality-signals.redact-pii = true
        """;
  }
}
