package dev.refinery.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import dev.refinery.core.error.RefineryException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Refinery's resolved, validated configuration: the documented defaults in {@code conf/application.conf}
 * overlaid with a user file and {@code --set} overrides (see {@link ConfigLoader}).
 *
 * <p>Every getter names the key in its error, so a bad value reads "Invalid config key 'x.y': expected
 * ... but got ...". The object is serialisable so Spark tasks can carry it.
 */
public final class RefineryConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String rendered;
  private transient Config config;

  RefineryConfig(Config config) {
    this.config = config.resolve();
    this.rendered = this.config.root().render(ConfigRenderOptions.concise());
  }

  /** The defaults alone; what tests and embedded callers start from. */
  public static RefineryConfig defaults() {
    return new ConfigLoader().load();
  }

  /** Returns a copy with {@code key} set to {@code value}, validated like a {@code --set}. */
  public RefineryConfig with(String key, Object value) {
    return new ConfigLoader().withBase(this).set(key, value).load();
  }

  /** Returns a copy without {@code key}, as if no layer set it (tests check that every key is required). */
  public RefineryConfig without(String key) {
    return new RefineryConfig(raw().withoutPath(key));
  }

  Config raw() {
    if (config == null) {
      config = ConfigFactory.parseString(rendered).resolve();
    }
    return config;
  }

  /** The underlying Typesafe config, for components that take a sub-tree as-is (e.g. {@code spark.conf}). */
  public Config section(String path) {
    return raw().hasPath(path) ? raw().getConfig(path) : ConfigFactory.empty();
  }

  public boolean hasPath(String key) {
    return raw().hasPath(key);
  }

  public String getString(String key) {
    return get(key, "a string", () -> raw().getString(key));
  }

  /** A string that may be empty or absent; empty counts as absent. */
  public java.util.Optional<String> getOptionalString(String key) {
    if (!raw().hasPath(key) || raw().getIsNull(key)) {
      return java.util.Optional.empty();
    }
    String value = getString(key);
    return value.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(value);
  }

  public boolean getBoolean(String key) {
    return get(key, "a boolean (true or false)", () -> raw().getBoolean(key));
  }

  public int getInt(String key) {
    return get(key, "an integer", () -> raw().getInt(key));
  }

  public long getLong(String key) {
    return get(key, "an integer", () -> raw().getLong(key));
  }

  public double getDouble(String key) {
    return get(key, "a number", () -> raw().getDouble(key));
  }

  /** An integer in {@code [min, max]}. */
  public int getInt(String key, int min, int max) {
    int value = getInt(key);
    if (value < min || value > max) {
      throw invalid(key, String.format(Locale.ROOT, "an integer in [%d, %d]", min, max), value);
    }
    return value;
  }

  /** A number in {@code [min, max]}. */
  public double getDouble(String key, double min, double max) {
    double value = getDouble(key);
    if (!(value >= min && value <= max)) {
      throw invalid(key, String.format(Locale.ROOT, "a number in [%s, %s]", min, max), value);
    }
    return value;
  }

  public <T> T check(String key, T value, Predicate<T> valid, String expected) {
    if (!valid.test(value)) {
      throw invalid(key, expected, value);
    }
    return value;
  }

  public long getBytes(String key) {
    return get(key, "a size such as 1048576, 512k or 16m", () -> raw().getBytes(key));
  }

  public Duration getDuration(String key) {
    return get(key, "a duration such as 500ms, 30s or 5m", () -> raw().getDuration(key));
  }

  public List<String> getStringList(String key) {
    return get(key, "a list of strings", () -> raw().getStringList(key));
  }

  /** A list of objects (e.g. {@code decontaminate.eval-sets}); each entry is read with Typesafe's API. */
  public List<? extends Config> getConfigList(String key) {
    return get(key, "a list of objects", () -> raw().getConfigList(key));
  }

  public List<Double> getDoubleList(String key) {
    return get(key, "a list of numbers", () -> raw().getDoubleList(key));
  }

  public List<Long> getLongList(String key) {
    return get(key, "a list of integers", () -> raw().getLongList(key));
  }

  /** A string map such as {@code spark.conf}; nested keys are flattened with dots. */
  public Map<String, String> getStringMap(String key) {
    return get(key, "an object of string values", () -> {
      Map<String, String> out = new TreeMap<>();
      for (Map.Entry<String, ConfigValue> e : raw().getConfig(key).entrySet()) {
        out.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped()));
      }
      return out;
    });
  }

  /** An enum value, spelled in lower case with '-' for '_' (e.g. {@code warc}, {@code per-line}). */
  public <E extends Enum<E>> E getEnum(String key, Class<E> type) {
    String value = getString(key);
    for (E constant : type.getEnumConstants()) {
      if (configName(constant).equals(value.trim().toLowerCase(Locale.ROOT))) {
        return constant;
      }
    }
    String allowed =
        Arrays.stream(type.getEnumConstants()).map(RefineryConfig::configName).collect(Collectors.joining(", "));
    throw invalid(key, "one of " + allowed, "'" + value + "'");
  }

  public static String configName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** A stable hash of the sub-trees a stage depends on; recorded in {@code pipeline_runs}. */
  public String hash(String... sections) {
    StringBuilder canonical = new StringBuilder();
    for (String section : sections) {
      canonical.append(section).append('=');
      if (raw().hasPath(section)) {
        canonical.append(raw().getValue(section).render(ConfigRenderOptions.concise().setJson(true)));
      }
      canonical.append('\n');
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The whole config as HOCON, with values that look secret masked. */
  public String renderForDisplay() {
    return ConfigSecrets.mask(raw()).root().render(ConfigRenderOptions.defaults().setOriginComments(false));
  }

  static RefineryException invalid(String key, String expected, Object got) {
    return RefineryException.userError(
        "Invalid config key '%s': expected %s but got %s", key, expected, got);
  }

  private <T> T get(String key, String expected, java.util.function.Supplier<T> getter) {
    try {
      return getter.get();
    } catch (ConfigException.Missing e) {
      throw RefineryException.userError("Missing config key '%s': expected %s", key, expected);
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      throw invalid(key, expected, describe(key));
    }
  }

  private String describe(String key) {
    try {
      ConfigValue value = raw().getValue(key);
      return value.valueType().name().toLowerCase(Locale.ROOT) + " " + value.render(ConfigRenderOptions.concise());
    } catch (ConfigException e) {
      return "an unreadable value";
    }
  }

  @Override
  public String toString() {
    return "RefineryConfig(" + hash("") + ")";
  }
}
