package dev.refinery.annotation.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.annotation.labels.PreferencePair;
import dev.refinery.core.llm.ChatMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic HH-RLHF JSON lines {@code {chosen, rejected}}, each a whole "\n\nHuman: ... \n\nAssistant: ..."
 * transcript. The two share the conversation up to the last assistant turn: that is the prompt, and the
 * two last turns are the responses. Pairs only; judges or imported labels label them afterwards.
 */
final class HhRlhfReader {
  static final String HUMAN = "\n\nHuman:";
  static final String ASSISTANT = "\n\nAssistant:";

  private final String source;
  private final long maxRecords;

  HhRlhfReader(String source, long maxRecords) {
    this.source = source;
    this.maxRecords = maxRecords;
  }

  void read(Path file, ImportSink sink) throws IOException {
    try (BufferedReader reader = Sources.lines(file)) {
      String line;
      long number = 0;
      long records = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        if (maxRecords > 0 && records++ >= maxRecords) {
          break;
        }
        String position = "line " + number;
        try {
          JsonNode node = Sources.JSON.readTree(line);
          String chosen = Sources.text(node.get("chosen"));
          String rejected = Sources.text(node.get("rejected"));
          if (chosen == null || rejected == null) {
            sink.rejectRecord(file.toString(), position, "missing-field: chosen and rejected are required",
                Sources.truncate(line));
            continue;
          }
          PreferencePair pair = split(chosen, rejected, source, String.valueOf(number), file.getFileName().toString());
          if (pair == null) {
            sink.rejectRecord(file.toString(), position,
                "transcripts-diverge: chosen and rejected do not share a conversation before the last assistant turn",
                Sources.truncate(line));
            continue;
          }
          sink.pair(pair);
        } catch (IOException e) {
          sink.rejectRecord(file.toString(), position, "bad-json", Sources.truncate(line));
        }
      }
    }
  }

  /** The pair, or null when the transcripts do not share their prompt. */
  static PreferencePair split(String chosen, String rejected, String source, String originId, String file) {
    int cut = chosen.lastIndexOf(ASSISTANT);
    if (cut < 0) {
      return null;
    }
    String prompt = chosen.substring(0, cut + ASSISTANT.length());
    if (!rejected.startsWith(prompt)) {
      return null;
    }
    String chosenResponse = chosen.substring(prompt.length()).trim();
    String rejectedResponse = rejected.substring(prompt.length()).trim();
    return PreferencePair.imported(prompt, messages(prompt.substring(0, cut)), chosenResponse, rejectedResponse,
        source, originId, file);
  }

  /** The turns of a transcript, as chat messages. */
  static List<ChatMessage> messages(String transcript) {
    List<ChatMessage> messages = new ArrayList<>();
    int i = 0;
    while (i < transcript.length()) {
      boolean human = transcript.startsWith(HUMAN, i);
      boolean assistant = transcript.startsWith(ASSISTANT, i);
      if (!human && !assistant) {
        int next = nextTurn(transcript, i);
        i = next < 0 ? transcript.length() : next;
        continue;
      }
      int start = i + (human ? HUMAN.length() : ASSISTANT.length());
      int end = nextTurn(transcript, start);
      String content = transcript.substring(start, end < 0 ? transcript.length() : end).trim();
      messages.add(human ? ChatMessage.user(content) : ChatMessage.assistant(content));
      i = end < 0 ? transcript.length() : end;
    }
    return messages;
  }

  private static int nextTurn(String text, int from) {
    int h = text.indexOf(HUMAN, from);
    int a = text.indexOf(ASSISTANT, from);
    return h < 0 ? a : a < 0 ? h : Math.min(h, a);
  }
}
