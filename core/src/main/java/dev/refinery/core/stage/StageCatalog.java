package dev.refinery.core.stage;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The stages on the classpath (found through {@link StageProvider}), in pipeline order: the topological sort
 * of their declared reads and writes ({@link StageGraph}).
 */
public final class StageCatalog {
  private final Map<String, StageProvider> providers;
  private final StageGraph graph;

  private StageCatalog(Map<String, StageProvider> providers) {
    this.providers = providers;
    this.graph = StageGraph.of(providers.values().stream().map(StageProvider::spec).toList());
  }

  public static StageCatalog discover() {
    Map<String, StageProvider> found = new TreeMap<>();
    for (StageProvider provider : ServiceLoader.load(StageProvider.class, serviceClassLoader())) {
      StageProvider previous = found.put(provider.name(), provider);
      if (previous != null && !previous.getClass().equals(provider.getClass())) {
        throw RefineryException.internal("Cannot register stage %s twice: %s and %s", provider.name(),
            previous.getClass().getName(), provider.getClass().getName());
      }
    }
    return new StageCatalog(found);
  }

  public static StageCatalog of(Collection<StageProvider> providers) {
    Map<String, StageProvider> map = new TreeMap<>();
    providers.forEach(p -> map.put(p.name(), p));
    return new StageCatalog(map);
  }

  /** Names of the available stages, in pipeline order. */
  public List<String> names() {
    return graph.order();
  }

  public StageGraph graph() {
    return graph;
  }

  /**
   * Resolves requested names ({@code all} means every available stage) to stages built from config, in
   * pipeline order. Building every stage first validates all their options before anything runs.
   */
  public List<Stage> resolve(List<String> requested, RefineryConfig config) {
    LinkedHashSet<String> wanted = new LinkedHashSet<>();
    for (String name : requested) {
      if (name.equals("all")) {
        wanted.addAll(names());
      } else if (providers.containsKey(name)) {
        wanted.add(name);
      } else {
        throw RefineryException.userError("Unknown stage '%s': available stages are %s", name,
            String.join(", ", names()));
      }
    }
    List<Stage> stages = new ArrayList<>();
    for (String name : names()) {
      if (wanted.contains(name)) {
        stages.add(providers.get(name).create(config));
      }
    }
    return stages;
  }

  /** spark-submit loads the application jar in a child loader and makes it the context loader. */
  private static ClassLoader serviceClassLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : StageCatalog.class.getClassLoader();
  }
}
