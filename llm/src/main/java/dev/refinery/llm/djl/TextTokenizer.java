package dev.refinery.llm.djl;

/** Turns text into the model's token ids. Implementations are thread-confined unless stated otherwise. */
public interface TextTokenizer extends AutoCloseable {
  /** Token ids of {@code text}, without BOS/EOS. */
  int[] encode(String text);

  /** Ids of the model's chat-formatted prompt (user turns and the assistant header), ready for a response. */
  int[] encodePrompt(String prompt);

  /** The id that ends a response. */
  int endOfText();

  int vocabSize();

  @Override
  default void close() {}
}
