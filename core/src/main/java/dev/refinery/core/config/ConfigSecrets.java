package dev.refinery.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Masks values whose key names look like secrets before config is shown or logged. */
final class ConfigSecrets {
  private static final Pattern SECRET_KEY =
      Pattern.compile(".*(secret|password|token|api-key|apikey|access-key|credential).*");

  private ConfigSecrets() {}

  static boolean looksSecret(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    // A key that names an environment variable holding the secret is not itself secret.
    return SECRET_KEY.matcher(lower).matches() && !lower.endsWith("-env") && !lower.endsWith("env-var");
  }

  static Config mask(Config config) {
    Config masked = config;
    for (Map.Entry<String, ?> entry : config.entrySet()) {
      if (looksSecret(entry.getKey())) {
        masked = masked.withValue(entry.getKey(), ConfigValueFactory.fromAnyRef("****"));
      }
    }
    return masked;
  }
}
