package dev.refinery.llm;
import dev.refinery.core.llm.ChatMessage;
import java.util.List;

/**
 * The ChatML prompt format used by SmolLM2 (and Qwen, among others), applied the way SmolLM2's own
 * template does it: a default system turn when the conversation has none, each turn wrapped in
 * {@code <|im_start|>role\n...<|im_end|>\n}, and an open assistant turn at the end.
 */
public final class ChatMlTemplate {
  public static final String END_OF_TURN = "<|im_end|>";
  /** What SmolLM2's template inserts when no system message is given. */
  public static final String DEFAULT_SYSTEM = "You are a helpful AI assistant named SmolLM, trained by Hugging Face";

  private ChatMlTemplate() {}

  public static String apply(List<ChatMessage> messages) {
    StringBuilder prompt = new StringBuilder();
    if (messages.isEmpty() || !messages.get(0).role().equals("system")) {
      turn(prompt, "system", DEFAULT_SYSTEM);
    }
    for (ChatMessage message : messages) {
      turn(prompt, message.role(), message.content());
    }
    return prompt.append("<|im_start|>assistant\n").toString();
  }

  private static void turn(StringBuilder prompt, String role, String content) {
    prompt.append("<|im_start|>").append(role).append('\n').append(content).append(END_OF_TURN).append('\n');
  }
}
