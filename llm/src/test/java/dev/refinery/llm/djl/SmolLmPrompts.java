package dev.refinery.llm.djl;

import java.util.List;

/** Twenty short prompts for comparing the port with llama.cpp (chat-formatted by the tokenizer). */
final class SmolLmPrompts {
  private SmolLmPrompts() {}

  static final List<String> PROMPTS = List.of(
      "What is the capital of France?",
      "Write a haiku about the sea.",
      "How do I boil an egg?",
      "Name three primary colours.",
      "What is 12 times 7?",
      "Translate 'good morning' into Spanish.",
      "Why is the sky blue?",
      "Give me a synonym for happy.",
      "What does a CPU do?",
      "Tell me a fun fact about cats.",
      "How many legs does a spider have?",
      "What is photosynthesis?",
      "Suggest a name for a pet goldfish.",
      "Who wrote Romeo and Juliet?",
      "What is the boiling point of water in Celsius?",
      "Describe a rainbow in one sentence.",
      "How can I be more productive?",
      "What is the largest planet in the solar system?",
      "Explain gravity to a child.",
      "What should I eat for breakfast?");
}
