package dev.refinery.synthesis.selfinstruct;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits the model's continuation of the numbered task list into instructions, as Self-Instruct does
 * ({@code re.split(r"\n\d+\s?\. ", text)}, whitespace collapsed, {@code capitalize()}d), and also accepts a
 * list restarted at its first line ("9. ...") or numbered with ")" as chat models write it. Text after the
 * last item's blank line (an epilogue) is not an instruction.
 */
public final class NumberedListParser {
  private static final Pattern ITEM_START = Pattern.compile("(?:^|\\n)\\s*\\d+\\s?[.)]\\s+");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private NumberedListParser() {}

  public static List<String> parse(String response) {
    String text = response.replace("\r\n", "\n");
    List<String> items = new ArrayList<>();
    for (String raw : ITEM_START.split(text)) {
      String item = raw;
      int blank = item.indexOf("\n\n");
      if (blank >= 0) {
        item = item.substring(0, blank);
      }
      item = WHITESPACE.matcher(item).replaceAll(" ").strip();
      if (!item.isEmpty()) {
        items.add(InstructionFilter.capitalize(item));
      }
    }
    return items;
  }
}
