package dev.refinery.core.llm;

import java.io.Serializable;

/** One chat turn; {@code role} is {@code system}, {@code user} or {@code assistant}. */
public record ChatMessage(String role, String content) implements Serializable {
  public static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }
}
