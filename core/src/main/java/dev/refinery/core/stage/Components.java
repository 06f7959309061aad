package dev.refinery.core.stage;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/** Resolves {@link StageContext#component} through {@link ComponentFactory} providers; one instance per type. */
final class Components {
  private final RefineryConfig config;
  private final Map<Class<?>, Object> built = new ConcurrentHashMap<>();

  Components(RefineryConfig config) {
    this.config = config;
  }

  <T> T get(Class<T> type) {
    return type.cast(built.computeIfAbsent(type, this::create));
  }

  @SuppressWarnings("rawtypes")
  private Object create(Class<?> type) {
    for (ComponentFactory factory : ServiceLoader.load(ComponentFactory.class, serviceClassLoader())) {
      if (factory.type().equals(type)) {
        return factory.create(config);
      }
    }
    throw RefineryException.internal(
        "Cannot provide component %s: no ComponentFactory for it on the classpath", type.getName());
  }

  /** spark-submit loads the application jar in a child loader and makes it the context loader. */
  private static ClassLoader serviceClassLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : Components.class.getClassLoader();
  }
}
