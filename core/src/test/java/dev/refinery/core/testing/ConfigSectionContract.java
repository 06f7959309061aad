package dev.refinery.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import dev.refinery.core.config.RefineryConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a module's {@code conf/application.conf} sections hold, pinned key by key. A module's test extends this
 * and lists its sections, every key with its default (so a changed default or a new key is a reviewed change),
 * and the start-up code that reads them: every pinned key must be read there, with an error naming it when it
 * is missing, so no key is spelled in the file and never used.
 */
public abstract class ConfigSectionContract {
  /** The top-level sections (or sub-paths) this module owns. */
  protected abstract List<String> sections();

  /** One {@code key = value} line per key, the value as concise JSON; order does not matter. */
  protected abstract String pinnedDefaults();

  /** Reads the module's config as start-up does: building every stage, or the settings object. */
  protected abstract void readAtStartUp(RefineryConfig config);

  /** False where the keys are read later than start-up, by parts that need a Spark session. */
  protected boolean readsEveryKeyAtStartUp() {
    return true;
  }

  /** Keys that may be absent (optional settings, maps of user entries); they are still pinned. */
  protected Set<String> optionalKeys() {
    return Set.of();
  }

  private static final RefineryConfig DEFAULTS = RefineryConfig.defaults();

  @Test
  void everyKeyAndDefaultIsPinned() {
    assertThat(actualDefaults()).isEqualTo(parse(pinnedDefaults()));
  }

  @Test
  void defaultsReadAtStartUp() {
    readAtStartUp(DEFAULTS);
  }

  @Test
  void everyKeyIsReadAtStartUpAndNamedWhenMissing() {
    if (!readsEveryKeyAtStartUp()) {
      return;
    }
    List<String> problems = new ArrayList<>();
    for (String key : actualDefaults().keySet()) {
      if (optionalKeys().contains(key)) {
        continue;
      }
      try {
        readAtStartUp(DEFAULTS.without(key));
        problems.add(key + ": not read at start-up");
      } catch (RuntimeException e) {
        if (e.getMessage() == null || !e.getMessage().contains(key)) {
          problems.add(key + ": the error does not name it: " + e);
        }
      }
    }
    assertThat(problems).as("keys of %s", sections()).isEmpty();
  }

  private Map<String, String> actualDefaults() {
    Map<String, String> out = new TreeMap<>();
    for (String section : sections()) {
      Config tree = DEFAULTS.section(section);
      assertThat(tree.isEmpty()).as("section %s in application.conf", section).isFalse();
      for (Map.Entry<String, ConfigValue> entry : tree.entrySet()) {
        out.put(section + "." + entry.getKey(), entry.getValue().render(ConfigRenderOptions.concise()));
      }
    }
    return out;
  }

  private static Map<String, String> parse(String pinned) {
    return Arrays.stream(pinned.strip().split("\n")).map(String::strip).filter(l -> !l.isEmpty())
        .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(" = ")), l -> l.substring(l.indexOf(" = ") + 3),
            (a, b) -> { throw new IllegalArgumentException("key pinned twice: " + a); }, TreeMap::new));
  }
}
