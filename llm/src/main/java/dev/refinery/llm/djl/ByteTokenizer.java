package dev.refinery.llm.djl;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 bytes as tokens (ids 0-255), with {@code 256} = end of text and {@code 257} = start of the response.
 * Pairs with the tiny random-weight models: no vocabulary file, same ids everywhere.
 */
public final class ByteTokenizer implements TextTokenizer {
  public static final int VOCAB_SIZE = 258;
  private static final int END = 256;
  private static final int RESPONSE = 257;

  @Override
  public int[] encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int[] ids = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      ids[i] = bytes[i] & 0xff;
    }
    return ids;
  }

  @Override
  public int[] encodePrompt(String prompt) {
    int[] text = encode(prompt);
    int[] ids = java.util.Arrays.copyOf(text, text.length + 1);
    ids[text.length] = RESPONSE;
    return ids;
  }

  @Override
  public int endOfText() {
    return END;
  }

  @Override
  public int vocabSize() {
    return VOCAB_SIZE;
  }
}
