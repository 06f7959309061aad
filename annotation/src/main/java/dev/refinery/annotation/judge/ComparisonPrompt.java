package dev.refinery.annotation.judge;

import dev.refinery.core.llm.ChatMessage;
import java.util.List;

/**
 * The RL-CAI comparison prompt:
 * <pre>
 * Consider the following conversation between a human and an assistant:
 * [conversation]
 * [principle ... Options:]
 * (A) [response shown first]
 * (B) [response shown second]
 * The answer is:
 * </pre>
 * preceded by the few-shot examples solved the same way. Examples alternate the better response between (A)
 * and (B), so the shots themselves teach no position preference.
 */
final class ComparisonPrompt {
  private ComparisonPrompt() {}

  static List<ChatMessage> messages(String conversation, String principle, String first, String second,
      List<Principles.Example> examples) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < examples.size(); i++) {
      Principles.Example example = examples.get(i);
      boolean betterFirst = i % 2 == 0;
      block(text, example.conversation(), principle, betterFirst ? example.better() : example.worse(),
          betterFirst ? example.worse() : example.better());
      text.append(' ').append(betterFirst ? "(A)" : "(B)").append("\n\n");
    }
    block(text, conversation, principle, first, second);
    return List.of(ChatMessage.user(text.toString()));
  }

  private static void block(StringBuilder text, String conversation, String principle, String first, String second) {
    text.append("Consider the following conversation between a human and an assistant:\n")
        .append(conversation.strip()).append('\n')
        .append(principle.strip()).append('\n')
        .append("(A) ").append(first.strip()).append('\n')
        .append("(B) ").append(second.strip()).append('\n')
        .append("The answer is:");
  }

  /** The conversation as the paper writes it: "Human: ... Assistant: ..." turns. */
  static String conversation(String prompt, List<ChatMessage> messages) {
    if (messages == null || messages.isEmpty()) {
      return prompt;
    }
    StringBuilder text = new StringBuilder();
    for (ChatMessage message : messages) {
      String speaker = switch (message.role()) {
        case "assistant" -> "Assistant";
        case "system" -> "System";
        default -> "Human";
      };
      if (text.length() > 0) {
        text.append("\n\n");
      }
      text.append(speaker).append(": ").append(message.content().strip());
    }
    return text.toString();
  }
}
