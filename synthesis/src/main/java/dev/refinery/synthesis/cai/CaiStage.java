package dev.refinery.synthesis.cai;

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
import dev.refinery.core.table.PreferenceSchemas;
import dev.refinery.core.table.SynthesisSchemas;
import dev.refinery.core.table.Tables;
import dev.refinery.core.text.StableIds;
import dev.refinery.llm.LlmCallCache;
import dev.refinery.synthesis.DriverCalls;
import dev.refinery.synthesis.PromptTemplate;
import dev.refinery.synthesis.quality.GateReasons;
import dev.refinery.synthesis.quality.PairGates;
import dev.refinery.synthesis.quality.Refusals;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code cai}: supervised Constitutional AI (Bai et al. 2022). For each red-team prompt (first human turn of
 * HH-RLHF harmless-base and of the paper's sample prompts) the model answers, then for {@code rounds} rounds
 * critiques its latest answer against a principle drawn from the 16 of the constitution and revises it,
 * with the paper's few-shot dialogues in front. The result goes to {@code cai_revisions}, and a preference
 * pair (chosen = final revision, rejected = initial response) to {@code preference_pairs}.
 *
 * <p>Every round is one batch of calls through {@code llm_calls} for all prompts still alive, so a rerun
 * replays from the cache. Output that cannot be read as a response, critique or revision drops the prompt
 * with a reason ({@code empty_initial_response}, {@code unparseable_critique}, {@code unparseable_revision},
 * {@code revision_unchanged}, {@code llm_call_failed}); nothing crashes on model output. Quality gates drop a
 * prompt whose pair could not train anything: {@code truncated} (the initial answer or the final revision was
 * cut off by {@code max-tokens}), {@code revision_is_critique} ({@link CritiqueStyle}), {@code chosen_in_rejected},
 * {@code refusal} (a refusal-only final revision, when {@code drop-refusals}) and {@code language_mismatch} (either
 * side in another language than the prompt, {@code language-gate}). Counts: in = prompts selected, out = pairs
 * written.
 */
public final class CaiStage implements Stage {
  static final String NAME = "cai";
  static final String REVISION_IS_CRITIQUE = "revision_is_critique";

  static final StageSpec SPEC = StageSpec.builder(NAME)
      .writes(Tables.CAI_REVISIONS, Tables.PREFERENCE_PAIRS, Tables.LLM_CALLS).config("cai").usesLlm()
      .description("critique and revise red-team answers into preference pairs (Constitutional AI)")
      .rowsOut(RowsOut.committedTo(Tables.PREFERENCE_PAIRS))
      .build();

  @Override
  public StageSpec spec() {
    return SPEC;
  }

  private final CaiOptions options;
  private final PromptTemplate critiqueTemplate = PromptTemplate.load("cai/critique-request.txt");
  private final PromptTemplate revisionTemplate = PromptTemplate.load("cai/revision-request.txt");
  private final PromptTemplate conversationTemplate = PromptTemplate.load("cai/conversation.txt");
  private final PromptTemplate systemTemplate = PromptTemplate.load("cai/system.txt");

  CaiStage(CaiOptions options) {
    this.options = options;
  }

  /** One prompt's progress through the rounds. */
  private static final class Work {
    final String promptId;
    final RedTeamPrompts.Prompt prompt;
    String initial;
    String current;
    boolean currentCutOff;
    final List<Row> rounds = new ArrayList<>();
    final List<String> principles = new ArrayList<>();
    String dropReason;

    Work(RedTeamPrompts.Prompt prompt) {
      this.prompt = prompt;
      this.promptId = StableIds.of("cai-prompt", prompt.text());
    }

    boolean alive() {
      return dropReason == null;
    }
  }

  @Override
  public StageResult run(StageContext context) {
    Constitution constitution = Constitution.read(ModelPaths.resolve(options.principlesPath()),
        ModelPaths.resolve(options.fewShotPath()));
    List<Work> work = selectPrompts();
    LlmCallCache cache = LlmCallCache.forStage(context);
    List<ChatMessage> fewShot = fewShotTurns(constitution);

    Map<String, ChatRequest> initial = new LinkedHashMap<>();
    for (Work w : work) {
      initial.put(w.promptId, options.initial().toRequest(List.of(ChatMessage.user(w.prompt.text())),
          seed(w, "initial", 0)));
    }
    Map<String, DriverCalls.Answer> answers = DriverCalls.answer(context.spark(), cache, initial, "initial responses");
    for (Work w : work) {
      DriverCalls.Answer answer = answers.get(w.promptId);
      if (!answer.ok()) {
        w.dropReason = LlmFailures.DROP_REASON;
        continue;
      }
      Optional<String> response = CaiParser.response(answer.text());
      if (response.isEmpty()) {
        w.dropReason = "empty_initial_response";
        continue;
      }
      if (answer.cutOff(response.get())) {
        w.dropReason = GateReasons.TRUNCATED;
        continue;
      }
      w.initial = response.get();
      w.current = w.initial;
    }

    for (int round = 1; round <= options.rounds(); round++) {
      Map<String, Constitution.Principle> principleOf = new LinkedHashMap<>();
      Map<String, List<ChatMessage>> critiqueMessages = new LinkedHashMap<>();
      Map<String, ChatRequest> critiques = new LinkedHashMap<>();
      for (Work w : work) {
        if (!w.alive()) {
          continue;
        }
        Constitution.Principle principle = constitution.principles().get(
            (int) Math.floorMod(seed(w, "principle", round), (long) constitution.principles().size()));
        principleOf.put(w.promptId, principle);
        List<ChatMessage> messages = new ArrayList<>(fewShot);
        messages.add(ChatMessage.user(critiqueTemplate.render(Map.of(
            "conversation", conversationTemplate.render(Map.of("prompt", w.prompt.text(), "response", w.current)),
            "critique_request", principle.critiqueRequest()))));
        critiqueMessages.put(w.promptId, messages);
        critiques.put(w.promptId, options.critique().toRequest(messages, seed(w, "critique", round)));
      }
      Map<String, DriverCalls.Answer> critiqueAnswers = DriverCalls.answer(context.spark(), cache, critiques,
          "round " + round + " critiques");
      Map<String, String> critiqueText = new LinkedHashMap<>();
      Map<String, ChatRequest> revisions = new LinkedHashMap<>();
      for (Work w : work) {
        if (!w.alive()) {
          continue;
        }
        DriverCalls.Answer answer = critiqueAnswers.get(w.promptId);
        Optional<String> critique = answer.ok() ? CaiParser.critique(answer.text()) : Optional.empty();
        if (critique.isEmpty()) {
          w.dropReason = answer.ok() ? "unparseable_critique" : LlmFailures.DROP_REASON;
          continue;
        }
        critiqueText.put(w.promptId, critique.get());
        List<ChatMessage> messages = new ArrayList<>(critiqueMessages.get(w.promptId));
        messages.add(ChatMessage.assistant(critique.get()));
        messages.add(ChatMessage.user(revisionTemplate.render(Map.of(
            "revision_request", principleOf.get(w.promptId).revisionRequest()))));
        revisions.put(w.promptId, options.revision().toRequest(messages, seed(w, "revision", round)));
      }
      Map<String, DriverCalls.Answer> revisionAnswers = DriverCalls.answer(context.spark(), cache, revisions,
          "round " + round + " revisions");
      for (Work w : work) {
        if (!w.alive()) {
          continue;
        }
        DriverCalls.Answer answer = revisionAnswers.get(w.promptId);
        Optional<String> revision = answer.ok() ? CaiParser.revision(answer.text()) : Optional.empty();
        if (revision.isEmpty()) {
          w.dropReason = answer.ok() ? "unparseable_revision" : LlmFailures.DROP_REASON;
          continue;
        }
        Constitution.Principle principle = principleOf.get(w.promptId);
        if (CritiqueStyle.isCritique(revision.get(), w.prompt.text(), critiqueText.get(w.promptId), principle)) {
          w.dropReason = REVISION_IS_CRITIQUE;
          continue;
        }
        w.rounds.add(RowFactory.create(round, principle.name(), principle.critiqueRequest(),
            critiqueText.get(w.promptId), principle.revisionRequest(), revision.get()));
        w.principles.add(principle.name());
        w.current = revision.get();
        w.currentCutOff = answer.cutOff(revision.get());
      }
    }

    Timestamp now = new Timestamp(System.currentTimeMillis());
    String model = cache.modelId();
    List<Row> revisionRows = new ArrayList<>();
    List<Row> pairRows = new ArrayList<>();
    ReasonTally tally = new ReasonTally();
    for (Work w : work) {
      if (w.alive()) {
        w.dropReason = finalGate(w).orElse(null);
      }
      if (!w.alive()) {
        tally.drop(w.dropReason);
        continue;
      }
      tally.keep();
      revisionRows.add(RowFactory.create(w.promptId, w.prompt.text(), w.prompt.source(), w.initial,
          CollectionConverters.asScala(w.rounds).toList(), w.current, model, context.runId(), now));
      Row message = RowFactory.create("user", w.prompt.text());
      pairRows.add(RowFactory.create(StableIds.of("pair", PreferenceSchemas.SOURCE_CAI, w.promptId), w.prompt.text(),
          CollectionConverters.asScala(List.of(message)).toList(), w.current, w.initial, PreferenceSchemas.SOURCE_CAI,
          String.join(",", w.principles), Tables.CAI_REVISIONS, w.promptId, w.prompt.source(), model,
          context.runId(), now));
    }
    var lakehouse = context.lakehouse();
    lakehouse.upsert(Tables.CAI_REVISIONS,
        context.spark().createDataFrame(revisionRows, SynthesisSchemas.CAI_REVISIONS), List.of("prompt_id"));
    lakehouse.upsert(Tables.PREFERENCE_PAIRS,
        context.spark().createDataFrame(pairRows, PreferenceSchemas.PREFERENCE_PAIRS), List.of("pair_id"));
    StageResult.Builder result = tally.into(StageResult.builder()).metric("rounds", options.rounds());
    return cache.totals().into(result).build();
  }

  /** Why a prompt that went through every round still makes no pair, if it does not. */
  private Optional<String> finalGate(Work w) {
    if (w.current.strip().equals(w.initial.strip())) {
      return Optional.of("revision_unchanged");
    }
    if (w.currentCutOff) {
      return Optional.of(GateReasons.TRUNCATED);
    }
    if (PairGates.chosenInRejected(w.current, w.initial)) {
      return Optional.of(GateReasons.CHOSEN_IN_REJECTED);
    }
    if (options.dropRefusals() && Refusals.refusalOnly(w.current)) {
      return Optional.of(GateReasons.REFUSAL);
    }
    if (options.languageGate().mismatch(w.prompt.text(), w.initial)
        || options.languageGate().mismatch(w.prompt.text(), w.current)) {
      return Optional.of(GateReasons.LANGUAGE_MISMATCH);
    }
    return Optional.empty();
  }

  /** The prompts of both sources, de-duplicated, and a deterministic sample of {@code max-prompts} of them. */
  private List<Work> selectPrompts() {
    List<RedTeamPrompts.Prompt> prompts = new ArrayList<>();
    if (!options.hhRlhfPath().isBlank()) {
      prompts.addAll(RedTeamPrompts.read(ModelPaths.resolve(options.hhRlhfPath()), "chosen", "hh-rlhf/harmless-base"));
    }
    if (!options.caiSamplesDir().isBlank()) {
      prompts.addAll(RedTeamPrompts.readFolder(ModelPaths.resolve(options.caiSamplesDir())));
    }
    Map<String, Work> unique = new TreeMap<>();
    for (RedTeamPrompts.Prompt prompt : prompts) {
      Work w = new Work(prompt);
      unique.putIfAbsent(StableIds.of("cai-sample", Long.toString(options.seed()), w.promptId), w);
    }
    return unique.values().stream().limit(options.maxPrompts()).sorted(Comparator.comparing(w -> w.promptId)).toList();
  }

  private List<ChatMessage> fewShotTurns(Constitution constitution) {
    List<ChatMessage> turns = new ArrayList<>();
    turns.add(ChatMessage.system(systemTemplate.render(Map.of())));
    for (Constitution.FewShot example : constitution.fewShots().subList(0,
        Math.min(options.fewShotExamples(), constitution.fewShots().size()))) {
      turns.add(ChatMessage.user(critiqueTemplate.render(Map.of("conversation", example.conversation(),
          "critique_request", example.critiqueRequest()))));
      turns.add(ChatMessage.assistant(example.critique()));
      turns.add(ChatMessage.user(revisionTemplate.render(Map.of("revision_request", example.revisionRequest()))));
      turns.add(ChatMessage.assistant(example.revision()));
    }
    return turns;
  }

  private long seed(Work w, String kind, int round) {
    return options.seed() ^ ((long) StableIds.of(kind, w.promptId, Integer.toString(round)).hashCode() << 16);
  }
}
