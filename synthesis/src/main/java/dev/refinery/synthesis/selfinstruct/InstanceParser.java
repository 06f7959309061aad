package dev.refinery.synthesis.selfinstruct;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one generated instance (input, output) from the model's answer and applies Self-Instruct's instance
 * filters. Input-first answers read {@code Input: ... Output: ...} (or just the output, for tasks without
 * input); output-first answers (classification) read {@code Class label: ... Input: ...}.
 */
public final class InstanceParser {
  /** A parsed instance, or the reason there is none. */
  public record Result(String input, String output, String dropReason) {
    public boolean kept() {
      return dropReason == null;
    }
  }

  private static final Pattern INPUT_FIRST = Pattern.compile(
      "(?is)(?:input\\s*:\\s*(.*?))?\\s*output\\s*:\\s*(.*?)(?=\\n\\s*(?:input\\s*:|output\\s*:|example\\s*\\d|task\\s*:)|$)");
  private static final Pattern OUTPUT_FIRST = Pattern.compile(
      "(?is)class\\s*label\\s*:\\s*(.*?)\\s*\\n\\s*input\\s*:\\s*(.*?)(?=\\n\\s*(?:class\\s*label\\s*:|example\\s*\\d|task\\s*:)|$)");
  private static final Pattern LABEL = Pattern.compile("(?is)^\\s*(input|output|class\\s*label)\\s*:");

  private InstanceParser() {}

  public static Result parse(String answer, boolean outputFirst) {
    String text = answer.replace("\r\n", "\n").strip();
    String input;
    String output;
    if (outputFirst) {
      Matcher m = OUTPUT_FIRST.matcher(text);
      if (!m.find()) {
        return new Result(null, null, "unparseable_instance");
      }
      output = m.group(1).strip();
      input = m.group(2).strip();
    } else {
      Matcher m = INPUT_FIRST.matcher(text);
      if (m.find()) {
        input = m.group(1) == null ? "" : m.group(1).strip();
        output = m.group(2).strip();
      } else if (!text.isEmpty() && !LABEL.matcher(text).find()) {
        // A task without input: the answer is the output itself.
        input = "";
        output = text;
      } else {
        return new Result(null, null, "unparseable_instance");
      }
    }
    return check(input, output).map(reason -> new Result(input, output, reason))
        .orElseGet(() -> new Result(input, output, null));
  }

  /** Self-Instruct's instance filters: empty output, input equal to output, a dangling colon. */
  static Optional<String> check(String input, String output) {
    if (output.isEmpty()) {
      return Optional.of("empty_output");
    }
    if (input.equals(output)) {
      return Optional.of("input_equals_output");
    }
    if (input.endsWith(":") || output.endsWith(":")) {
      return Optional.of("incomplete_instance");
    }
    return Optional.empty();
  }
}
