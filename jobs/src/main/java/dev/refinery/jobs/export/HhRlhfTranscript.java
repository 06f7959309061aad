package dev.refinery.jobs.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits an HH-RLHF pair of transcripts ({@code "\n\nHuman: ...\n\nAssistant: ..."}) into the shared prompt and
 * the two final assistant responses, the way TRL's Anthropic-HH scripts do: the prompt is the chosen transcript
 * up to and including its last {@code "\n\nAssistant:"}, and the rejected transcript must share it.
 */
public final class HhRlhfTranscript {
  static final String HUMAN = "\n\nHuman:";
  static final String ASSISTANT = "\n\nAssistant:";

  private HhRlhfTranscript() {}

  /** A parsed pair: the prompt as text and as messages, and the two responses (trimmed). */
  public record Pair(String prompt, List<Message> promptMessages, String chosen, String rejected) {}

  public record Message(String role, String content) {}

  /** The pair, or the reason it cannot be split (a drop reason: {@code no_assistant_turn}, {@code prompt_mismatch} ...). */
  public static Result parse(String chosenTranscript, String rejectedTranscript) {
    if (chosenTranscript == null || rejectedTranscript == null) {
      return Result.failed("missing_field");
    }
    int cut = chosenTranscript.lastIndexOf(ASSISTANT);
    if (cut < 0) {
      return Result.failed("no_assistant_turn");
    }
    String prefix = chosenTranscript.substring(0, cut + ASSISTANT.length());
    if (!rejectedTranscript.startsWith(prefix)) {
      return Result.failed("prompt_mismatch");
    }
    String chosen = chosenTranscript.substring(prefix.length()).trim();
    String rejected = rejectedTranscript.substring(prefix.length()).trim();
    if (chosen.isEmpty() || rejected.isEmpty()) {
      return Result.failed("empty_response");
    }
    Optional<List<Message>> messages = messages(chosenTranscript.substring(0, cut));
    if (messages.isEmpty()) {
      return Result.failed("unparsable_turns");
    }
    return new Result(new Pair(prefix.strip(), messages.get(), chosen, rejected), null);
  }

  /** Turns of a transcript without its final assistant marker; must start with a human turn and end with one. */
  static Optional<List<Message>> messages(String transcript) {
    List<Message> out = new ArrayList<>();
    int position = 0;
    while (position < transcript.length()) {
      boolean human = transcript.startsWith(HUMAN, position);
      boolean assistant = transcript.startsWith(ASSISTANT, position);
      if (!human && !assistant) {
        return Optional.empty();
      }
      int start = position + (human ? HUMAN.length() : ASSISTANT.length());
      int next = nextMarker(transcript, start);
      out.add(new Message(human ? "user" : "assistant", transcript.substring(start, next).trim()));
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

  /** Either a pair or a failure reason. */
  public record Result(Pair pair, String failure) {
    static Result failed(String reason) {
      return new Result(null, reason);
    }

    public boolean ok() {
      return pair != null;
    }
  }
}
