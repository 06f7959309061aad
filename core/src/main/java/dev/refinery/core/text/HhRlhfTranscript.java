package dev.refinery.core.text;

import dev.refinery.core.llm.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Anthropic HH-RLHF transcripts ({@code "\n\nHuman: ...\n\nAssistant: ..."}): the one parser that
 * {@code import-pairs}, {@code import-labels} (format {@code hh-rlhf}) and {@code cai}'s red-team prompts use.
 *
 * <p>A pair of transcripts splits the way TRL's Anthropic-HH scripts do: the prompt is the chosen transcript up
 * to and including its last {@code "\n\nAssistant:"}, the rejected transcript must share it, and what follows
 * in each is the response. Prompt and responses are stripped of whitespace at their edges; a pair whose chosen
 * or rejected response is then empty is a failure ({@link Failure#EMPTY_RESPONSE}), not a pair. The
 * {@link Pair#pairId() pair id} is a function of the parsed pair alone, so the same line imported by either
 * stage is the same {@code preference_pairs} row.
 */
public final class HhRlhfTranscript {
  public static final String HUMAN = "\n\nHuman:";
  public static final String ASSISTANT = "\n\nAssistant:";

  private HhRlhfTranscript() {}

  /** Why a pair of transcripts is not a preference pair; {@link #reason()} is the drop reason stages record. */
  public enum Failure {
    MISSING_TRANSCRIPT("missing_transcript", "chosen and rejected transcripts are both required"),
    NO_ASSISTANT_TURN("no_assistant_turn", "the chosen transcript has no \"\\n\\nAssistant:\" turn"),
    PROMPT_MISMATCH("prompt_mismatch",
        "chosen and rejected do not share the conversation before the last assistant turn"),
    EMPTY_RESPONSE("empty_response", "the chosen or the rejected response is empty"),
    UNPARSABLE_TURNS("unparsable_turns",
        "the prompt is not a sequence of Human/Assistant turns starting and ending with a human turn");

    private final String reason;
    private final String description;

    Failure(String reason, String description) {
      this.reason = reason;
      this.description = description;
    }

    /** The drop reason: lower case, {@code _} joins words. */
    public String reason() {
      return reason;
    }

    /** What the reason means, for a quarantine row or an error message. */
    public String description() {
      return description;
    }
  }

  /**
   * A parsed pair. {@code prompt} is the shared conversation ending with {@code "Assistant:"}, stripped;
   * {@code promptMessages} its turns (user first and last); {@code chosen} and {@code rejected} the final
   * assistant responses, stripped and non-empty.
   */
  public record Pair(String prompt, List<ChatMessage> promptMessages, String chosen, String rejected) {
    public Pair {
      promptMessages = List.copyOf(promptMessages);
    }

    /** {@code preference_pairs.pair_id} of an HH-RLHF pair: a hash of prompt and both responses. */
    public String pairId() {
      return StableIds.of("pair", prompt, chosen, rejected);
    }
  }

  /** Either a pair or the failure that kept the transcripts from being one. */
  public record Result(Pair pair, Failure failure) {
    static Result failed(Failure failure) {
      return new Result(null, failure);
    }

    public boolean ok() {
      return pair != null;
    }
  }

  /** Splits a chosen and a rejected transcript into prompt and responses; null transcripts are a failure. */
  public static Result parse(String chosenTranscript, String rejectedTranscript) {
    if (chosenTranscript == null || rejectedTranscript == null) {
      return Result.failed(Failure.MISSING_TRANSCRIPT);
    }
    int cut = chosenTranscript.lastIndexOf(ASSISTANT);
    if (cut < 0) {
      return Result.failed(Failure.NO_ASSISTANT_TURN);
    }
    String prefix = chosenTranscript.substring(0, cut + ASSISTANT.length());
    if (!rejectedTranscript.startsWith(prefix)) {
      return Result.failed(Failure.PROMPT_MISMATCH);
    }
    String chosen = chosenTranscript.substring(prefix.length()).strip();
    String rejected = rejectedTranscript.substring(prefix.length()).strip();
    if (chosen.isEmpty() || rejected.isEmpty()) {
      return Result.failed(Failure.EMPTY_RESPONSE);
    }
    Optional<List<ChatMessage>> messages = messages(chosenTranscript.substring(0, cut));
    if (messages.isEmpty()) {
      return Result.failed(Failure.UNPARSABLE_TURNS);
    }
    return new Result(new Pair(prefix.strip(), messages.get(), chosen, rejected), null);
  }

  /**
   * The first human turn of a transcript, stripped: the red-team prompt of an HH-RLHF or CAI-sample
   * transcript. The leading blank lines are optional ({@code "Human: ..."} works); a text with no human turn
   * is returned whole, stripped.
   */
  public static String firstHumanTurn(String transcript) {
    String marker = HUMAN.strip();
    int start = transcript.indexOf(marker);
    if (start < 0) {
      return transcript.strip();
    }
    start += marker.length();
    int end = transcript.indexOf(ASSISTANT, start);
    return (end < 0 ? transcript.substring(start) : transcript.substring(start, end)).strip();
  }

  /** Turns of a transcript without its final assistant marker; must start with a human turn and end with one. */
  static Optional<List<ChatMessage>> messages(String transcript) {
    List<ChatMessage> out = new ArrayList<>();
    int position = 0;
    while (position < transcript.length()) {
      boolean human = transcript.startsWith(HUMAN, position);
      boolean assistant = transcript.startsWith(ASSISTANT, position);
      if (!human && !assistant) {
        return Optional.empty();
      }
      int start = position + (human ? HUMAN.length() : ASSISTANT.length());
      int next = nextMarker(transcript, start);
      String content = transcript.substring(start, next).strip();
      out.add(human ? ChatMessage.user(content) : ChatMessage.assistant(content));
      position = next;
    }
    if (out.isEmpty() || !out.get(0).role().equals("user") || !out.get(out.size() - 1).role().equals("user")) {
      return Optional.empty();
    }
    return Optional.of(out);
  }

  private static int nextMarker(String text, int from) {
    int human = text.indexOf(HUMAN, from);
    int assistant = text.indexOf(ASSISTANT, from);
    int next = text.length();
    if (human >= 0) {
      next = Math.min(next, human);
    }
    if (assistant >= 0) {
      next = Math.min(next, assistant);
    }
    return next;
  }
}
