package dev.refinery.synthesis;

import dev.refinery.core.error.RefineryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt template kept as a classpath resource under {@code dev/refinery/synthesis/prompts/}, one file per
 * prompt, with {@code {{name}}} placeholders. Rendering fails on a placeholder without a value, so a typo
 * in a template cannot silently reach the model.
 */
public final class PromptTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");
  private static final String ROOT = "dev/refinery/synthesis/prompts/";

  private final String name;
  private final String text;

  private PromptTemplate(String name, String text) {
    this.name = name;
    this.text = text;
  }

  public static PromptTemplate load(String name) {
    try (InputStream in = PromptTemplate.class.getClassLoader().getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw RefineryException.internal("Cannot load prompt template %s: no resource %s", name, ROOT + name);
      }
      return new PromptTemplate(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw RefineryException.internal("Cannot load prompt template %s: %s", name, e.getMessage());
    }
  }

  public String render(Map<String, String> values) {
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        throw RefineryException.internal("Cannot render prompt template %s: no value for {{%s}}", name,
            matcher.group(1));
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString().strip();
  }
}
