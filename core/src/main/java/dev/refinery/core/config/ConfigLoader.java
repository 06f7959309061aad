package dev.refinery.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.refinery.core.error.RefineryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds a {@link RefineryConfig}: defaults from {@code refinery/application.conf} on the classpath (the
 * documented {@code conf/application.conf}), then each {@code --config} file in order, then each
 * {@code --set key=value}. Later layers win.
 *
 * <p>Validation happens here, once, at start-up: a key that the defaults do not define fails with "Unknown
 * config key", unless it sits under an object whose default is empty ({@code spark.conf = {}} takes any
 * Spark property); a value whose type does not match the default's fails naming the key and both types.
 */
public final class ConfigLoader {
  static final String DEFAULTS_RESOURCE = "refinery/application.conf";
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
  private static final Pattern BOOLEAN = Pattern.compile("true|false|yes|no|on|off");

  private final Config defaults;
  private Config base;
  private final List<Layer> layers = new ArrayList<>();

  private record Layer(String origin, Config config) {}

  public ConfigLoader() {
    this.defaults = ConfigFactory.parseResources(
        ConfigLoader.class.getClassLoader(), DEFAULTS_RESOURCE, ConfigParseOptions.defaults().setAllowMissing(false));
    this.base = defaults;
  }

  ConfigLoader withBase(RefineryConfig config) {
    this.base = config.raw();
    return this;
  }

  /** Adds a HOCON file; keys it sets override the defaults and earlier files. */
  public ConfigLoader file(Path path) {
    if (!Files.isRegularFile(path)) {
      throw RefineryException.userError("Cannot read config file %s: no such file", path);
    }
    try {
      Config parsed = ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
      layers.add(new Layer("config file " + path, parsed));
    } catch (ConfigException e) {
      throw RefineryException.userError("Cannot parse config file %s: %s", path, e.getMessage());
    }
    return this;
  }

  /** Adds one {@code key=value} override, as given on the command line. */
  public ConfigLoader set(String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw RefineryException.userError("Invalid --set '%s': expected key=value", assignment);
    }
    return set(assignment.substring(0, eq).trim(), parseValue(assignment.substring(eq + 1).trim()));
  }

  /** Adds one override with an already-typed value. */
  public ConfigLoader set(String key, Object value) {
    try {
      layers.add(new Layer("--set " + key, ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value))));
    } catch (ConfigException e) {
      throw RefineryException.userError("Invalid --set key '%s': %s", key, e.getMessage());
    }
    return this;
  }

  public RefineryConfig load() {
    Config merged = base;
    for (Layer layer : layers) {
      validate(layer);
      merged = layer.config().withFallback(merged);
    }
    try {
      return new RefineryConfig(merged);
    } catch (ConfigException e) {
      throw RefineryException.userError("Cannot resolve config: %s", e.getMessage());
    }
  }

  /** Values from the command line: lists and objects are HOCON, numbers and booleans typed, the rest strings. */
  static Object parseValue(String text) {
    if (text.startsWith("[") || text.startsWith("{")) {
      try {
        ConfigValue value = ConfigFactory.parseString("v = " + text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF))
            .getValue("v");
        return value.unwrapped();
      } catch (ConfigException e) {
        throw RefineryException.userError("Invalid --set value '%s': %s", text, e.getMessage());
      }
    }
    if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
      return text.substring(1, text.length() - 1);
    }
    if (NUMBER.matcher(text).matches()) {
      return text.contains(".") || text.contains("e") || text.contains("E") ? Double.valueOf(text) : (Object) Long.valueOf(text);
    }
    if (BOOLEAN.matcher(text).matches()) {
      return text.equals("true") || text.equals("yes") || text.equals("on");
    }
    return text;
  }

  private void validate(Layer layer) {
    for (Map.Entry<String, ConfigValue> entry : layer.config().entrySet()) {
      String key = entry.getKey();
      if (isFreeForm(key)) {
        continue;
      }
      if (!defaults.hasPathOrNull(key)) {
        throw RefineryException.userError(
            "Unknown config key '%s' (from %s)%s; every key is documented in conf/application.conf",
            key, layer.origin(), suggestion(key));
      }
      if (defaults.getIsNull(key)) {
        continue;
      }
      checkType(key, defaults.getValue(key), entry.getValue(), layer.origin());
    }
  }

  private boolean isFreeForm(String key) {
    List<String> elements = com.typesafe.config.ConfigUtil.splitPath(key);
    for (int length = elements.size() - 1; length > 0; length--) {
      String path = com.typesafe.config.ConfigUtil.joinPath(elements.subList(0, length));
      if (defaults.hasPath(path)) {
        ConfigValue value = defaults.getValue(path);
        return value.valueType() == ConfigValueType.OBJECT && ((ConfigObject) value).isEmpty();
      }
    }
    return false;
  }

  private static void checkType(String key, ConfigValue expected, ConfigValue actual, String origin) {
    ConfigValueType want = expected.valueType();
    ConfigValueType got = actual.valueType();
    boolean ok = switch (want) {
      case NUMBER -> got == ConfigValueType.NUMBER
          || got == ConfigValueType.STRING && NUMBER.matcher(((String) actual.unwrapped()).trim()).matches();
      case BOOLEAN -> got == ConfigValueType.BOOLEAN
          || got == ConfigValueType.STRING && BOOLEAN.matcher(((String) actual.unwrapped()).trim()).matches();
      case LIST -> got == ConfigValueType.LIST;
      case OBJECT -> got == ConfigValueType.OBJECT;
      case STRING -> got != ConfigValueType.LIST && got != ConfigValueType.OBJECT;
      case NULL -> true;
    };
    if (!ok) {
      throw RefineryException.userError(
          "Invalid config key '%s' (from %s): expected %s but got %s %s",
          key, origin, describe(want), got.name().toLowerCase(java.util.Locale.ROOT),
          actual.render(com.typesafe.config.ConfigRenderOptions.concise()));
    }
  }

  private static String describe(ConfigValueType type) {
    return switch (type) {
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean (true or false)";
      case LIST -> "a list";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NULL -> "any value";
    };
  }

  private String suggestion(String key) {
    return defaults.entrySet().stream()
        .map(Map.Entry::getKey)
        .min(Comparator.comparingInt(candidate -> editDistance(candidate, key)))
        .filter(candidate -> editDistance(candidate, key) <= Math.max(2, key.length() / 4))
        .map(candidate -> ": did you mean '" + candidate + "'")
        .orElse("");
  }

  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
