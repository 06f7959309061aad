package dev.refinery.synthesis.selfinstruct;

import dev.refinery.core.llm.ChatMessage;
import dev.refinery.core.llm.ChatRequest;
import dev.refinery.core.llm.LlmFailures;
import dev.refinery.core.model.ModelPaths;
import dev.refinery.core.stage.ReasonTally;
import dev.refinery.core.stage.RowsOut;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.table.SynthesisSchemas;
import dev.refinery.core.table.Tables;
import dev.refinery.core.text.StableIds;
import dev.refinery.llm.LlmCallCache;
import dev.refinery.synthesis.DriverCalls;
import dev.refinery.synthesis.PromptTemplate;
import dev.refinery.synthesis.quality.GateReasons;
import dev.refinery.synthesis.quality.LanguageGate;
import dev.refinery.synthesis.quality.Refusals;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code self-instruct}: grows a pool of instructions from the 175 human seed tasks with the published
 * Self-Instruct algorithm (Wang et al. 2023). Each round builds prompts of 8 examples (6 human + 2 machine
 * when the pool has them), asks the model to continue the numbered list, parses and filters the new
 * instructions (length, keyword blacklist, "Write a program", leading punctuation or non-ASCII, ROUGE-L
 * against the pool), asks the model whether each is a classification task, and generates one instance
 * (output-first for classification, input-first otherwise). Output gates drop an instruction cut off by
 * {@code max-tokens} (the list's last item) or whose instance was ({@code truncated}), a refusal-only instance
 * ({@code refusal}, when {@code drop-refusals}) and an instance output in another language than its
 * instruction ({@code language_mismatch}, {@code language-gate}; not for tasks that name a language). Rounds stop at {@code target-instructions}
 * kept or {@code max-rounds}.
 *
 * <p>Every LLM call goes through {@code llm_calls}, and sampling is seeded per request, so a rerun replays
 * the same rounds from the cache and rewrites the same rows. The table is fully derived (seeds + kept
 * instructions) and overwritten. Counts: in = seeds + parsed candidates + failed generation calls; out =
 * seeds + kept; each dropped candidate under its filter's reason.
 */
public final class SelfInstructStage implements Stage {
  static final String NAME = "self-instruct";

  static final StageSpec SPEC = StageSpec.builder(NAME)
      .writes(Tables.INSTRUCTIONS, Tables.LLM_CALLS).config("self-instruct").usesLlm()
      .description("generate instructions from seed tasks (Self-Instruct)")
      .rowsOut(RowsOut.committedTo(Tables.INSTRUCTIONS))
      .build();

  @Override
  public StageSpec spec() {
    return SPEC;
  }
  private static final Logger LOG = LoggerFactory.getLogger(SelfInstructStage.class);

  private final SelfInstructOptions options;
  private final PromptTemplate generateTemplate = PromptTemplate.load("self-instruct/generate-instructions.txt");
  private final PromptTemplate classifyTemplate = PromptTemplate.load("self-instruct/is-classification.txt");
  private final PromptTemplate inputFirstTemplate = PromptTemplate.load("self-instruct/instances-input-first.txt");
  private final PromptTemplate outputFirstTemplate = PromptTemplate.load("self-instruct/instances-output-first.txt");

  SelfInstructStage(SelfInstructOptions options) {
    this.options = options;
  }

  /** A generated instruction that passed the filters, waiting for its classification and instance. */
  private record Candidate(String instruction, int round, double maxRougeL, String mostSimilar, String requestHash) {
    String id() {
      return StableIds.of("instruction", instruction);
    }
  }

  @Override
  public StageResult run(StageContext context) {
    List<SeedTask> seeds = SeedTask.read(ModelPaths.resolve(options.seedTasks()));
    LlmCallCache cache = LlmCallCache.forStage(context);
    InstructionFilter filter = new InstructionFilter(options.minWords(), options.maxWords());
    SimilarityIndex pool = new SimilarityIndex();
    List<String> poolTexts = new ArrayList<>();
    for (SeedTask seed : seeds) {
      pool.add(seed.instruction());
      poolTexts.add(seed.instruction());
    }
    Timestamp now = new Timestamp(System.currentTimeMillis());
    String model = cache.modelId();
    List<Row> rows = new ArrayList<>();
    for (SeedTask seed : seeds) {
      rows.add(RowFactory.create(StableIds.of("instruction", seed.instruction()), seed.instruction(), seed.input(),
          seed.output(), seed.isClassification(), "seed", 0, null, null, null, null, context.runId(), now));
    }
    ReasonTally tally = new ReasonTally().keep(seeds.size());
    long kept = 0;
    long comparisons = 0;
    List<Candidate> machine = new ArrayList<>();
    int round = 0;
    while (kept < options.targetInstructions() && round < options.maxRounds()) {
      round++;
      Map<String, ChatRequest> prompts = new LinkedHashMap<>();
      for (int p = 0; p < options.promptsPerRound(); p++) {
        long requestSeed = options.seed() * 1_000_003L + round * 10_007L + p;
        prompts.put("generate-" + round + "-" + p, options.generate().toRequest(
            List.of(ChatMessage.user(generationPrompt(seeds, machine, new Random(requestSeed)))), requestSeed));
      }
      List<Candidate> accepted = new ArrayList<>();
      for (DriverCalls.Answer answer : DriverCalls.answer(context.spark(), cache, prompts,
          "round " + round + " instructions").values()) {
        if (!answer.ok()) {
          tally.drop(LlmFailures.DROP_REASON);
          continue;
        }
        for (String item : NumberedListParser.parse(answer.text())) {
          if (answer.cutOff(item)) {
            // The list's last item, cut off by max-tokens ("Fact check: this is a").
            tally.drop(GateReasons.TRUNCATED);
            continue;
          }
          var reason = filter.reject(item);
          if (reason.isPresent()) {
            tally.drop(reason.get());
            continue;
          }
          SimilarityIndex.Match match = pool.best(item);
          comparisons += match.exactComparisons();
          if (match.score() >= options.rougeLThreshold()) {
            tally.drop("rouge_l_too_similar");
            continue;
          }
          pool.add(item);
          poolTexts.add(item);
          accepted.add(new Candidate(item, round, match.score(),
              match.index() < 0 ? null : poolTexts.get(match.index()), answer.requestHash()));
        }
      }
      machine.addAll(accepted);
      Map<String, ChatRequest> classify = new LinkedHashMap<>();
      for (Candidate candidate : accepted) {
        classify.put(candidate.id(), options.classify().toRequest(List.of(ChatMessage.user(
            classifyTemplate.render(Map.of("examples", classificationExamples(seeds), "instruction",
                candidate.instruction())))), seedOf("classify", candidate)));
      }
      Map<String, DriverCalls.Answer> classes = DriverCalls.answer(context.spark(), cache, classify,
          "round " + round + " classification");
      Map<String, ChatRequest> instances = new LinkedHashMap<>();
      List<Candidate> waiting = new ArrayList<>();
      for (Candidate candidate : accepted) {
        DriverCalls.Answer answer = classes.get(candidate.id());
        if (!answer.ok()) {
          tally.drop(LlmFailures.DROP_REASON);
          continue;
        }
        boolean classification = isYes(answer.text());
        PromptTemplate template = classification ? outputFirstTemplate : inputFirstTemplate;
        instances.put(candidate.id(), options.instances().toRequest(List.of(ChatMessage.user(template.render(Map.of(
            "examples", instanceExamples(seeds, classification), "instruction", candidate.instruction())))),
            seedOf("instance", candidate)));
        waiting.add(candidate);
      }
      Map<String, DriverCalls.Answer> generated = DriverCalls.answer(context.spark(), cache, instances,
          "round " + round + " instances");
      for (Candidate candidate : waiting) {
        DriverCalls.Answer answer = generated.get(candidate.id());
        if (!answer.ok()) {
          tally.drop(LlmFailures.DROP_REASON);
          continue;
        }
        boolean classification = isYes(classes.get(candidate.id()).text());
        InstanceParser.Result instance = InstanceParser.parse(answer.text(), classification);
        if (!instance.kept()) {
          tally.drop(instance.dropReason());
          continue;
        }
        var gate = instanceGate(candidate.instruction(), instance, answer);
        if (gate.isPresent()) {
          tally.drop(gate.get());
          continue;
        }
        tally.keep();
        kept++;
        rows.add(RowFactory.create(candidate.id(), candidate.instruction(), instance.input(), instance.output(),
            classification, "generated", candidate.round(), candidate.maxRougeL(), candidate.mostSimilar(),
            candidate.requestHash(), model, context.runId(), now));
      }
      LOG.info("self-instruct round {}: {} candidates accepted by the filters, {} kept with an instance ({} of {})",
          round, accepted.size(), kept, kept, options.targetInstructions());
    }
    context.lakehouse().overwrite(Tables.INSTRUCTIONS,
        context.spark().createDataFrame(rows, SynthesisSchemas.INSTRUCTIONS));
    StageResult.Builder result = tally.into(StageResult.builder())
        .metric("rounds", round)
        .metric("seed_tasks", seeds.size())
        .metric("generated_kept", kept)
        .metric("rouge_l_exact_comparisons", comparisons);
    return cache.totals().into(result).build();
  }

  /** The output gates on a parsed instance: cut off, refusal-only, or in another language than the task. */
  private java.util.Optional<String> instanceGate(String instruction, InstanceParser.Result instance,
      DriverCalls.Answer answer) {
    if (answer.cutOff(instance.output()) || answer.cutOff(instance.input())) {
      return java.util.Optional.of(GateReasons.TRUNCATED);
    }
    if (options.dropRefusals() && (Refusals.refusalOnly(instance.output()) || Refusals.refusalOnly(instance.input()))) {
      return java.util.Optional.of(GateReasons.REFUSAL);
    }
    // A task about languages (translate, "in French") may rightly be answered in another one.
    if (!LanguageGate.namesALanguage(instruction) && options.languageGate().mismatch(instruction, instance.output())) {
      return java.util.Optional.of(GateReasons.LANGUAGE_MISMATCH);
    }
    return java.util.Optional.empty();
  }

  private String generationPrompt(List<SeedTask> seeds, List<Candidate> machine, Random random) {
    List<String> examples = new ArrayList<>();
    int fromMachine = Math.min(options.machineExamples(), machine.size());
    for (int index : sample(machine.size(), fromMachine, random)) {
      examples.add(machine.get(index).instruction());
    }
    int fromHuman = Math.min(seeds.size(), options.humanExamples() + options.machineExamples() - fromMachine);
    for (int index : sample(seeds.size(), fromHuman, random)) {
      examples.add(seeds.get(index).instruction());
    }
    java.util.Collections.shuffle(examples, random);
    StringBuilder tasks = new StringBuilder();
    for (int i = 0; i < examples.size(); i++) {
      tasks.append(i + 1).append(". ").append(examples.get(i).replaceAll("\\s+", " ").strip()).append('\n');
    }
    return generateTemplate.render(Map.of("tasks", tasks.toString().strip(),
        "next", Integer.toString(examples.size() + 1)));
  }

  private static List<Integer> sample(int size, int count, Random random) {
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      indexes.add(i);
    }
    java.util.Collections.shuffle(indexes, random);
    return indexes.subList(0, count);
  }

  private String classificationExamples(List<SeedTask> seeds) {
    StringBuilder out = new StringBuilder();
    int yes = 0;
    int no = 0;
    int half = options.classificationExamples() / 2;
    for (SeedTask seed : seeds) {
      if (seed.isClassification() ? yes >= options.classificationExamples() - half : no >= half) {
        continue;
      }
      if (seed.isClassification()) {
        yes++;
      } else {
        no++;
      }
      out.append("Task: ").append(seed.instruction()).append("\nIs it classification? ")
          .append(seed.isClassification() ? "Yes" : "No").append("\n\n");
    }
    return out.toString().strip();
  }

  private String instanceExamples(List<SeedTask> seeds, boolean classification) {
    StringBuilder out = new StringBuilder();
    int count = 0;
    for (SeedTask seed : seeds) {
      if (count >= options.instanceExamples() || seed.isClassification() != classification
          || seed.input().isEmpty() || seed.output().length() > 300 || seed.input().length() > 300) {
        continue;
      }
      count++;
      out.append("Task: ").append(seed.instruction()).append('\n');
      if (classification) {
        out.append("Class label: ").append(seed.output()).append("\nInput: ").append(seed.input());
      } else {
        out.append("Input: ").append(seed.input()).append("\nOutput: ").append(seed.output());
      }
      out.append("\n\n");
    }
    return out.toString().strip();
  }

  private long seedOf(String kind, Candidate candidate) {
    return options.seed() ^ StableIds.of(kind, candidate.instruction()).hashCode();
  }

  /** The classification answer: "yes" at the start, ignoring case and punctuation. */
  static boolean isYes(String answer) {
    return answer != null && answer.strip().toLowerCase(Locale.ROOT).replaceAll("^[^a-z]+", "").startsWith("yes");
  }
}
