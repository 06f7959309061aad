package dev.refinery.jobs.cli;

import dev.refinery.core.config.ConfigLoader;
import dev.refinery.core.config.RefineryConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every subcommand takes: {@code --config FILE}, {@code --set key=value}, {@code --lakehouse DIR}. */
public final class ConfigOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "HOCON file(s) layered over the defaults, in order.")
  List<Path> configFiles = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one config key (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--lakehouse", paramLabel = "DIR", description = "Shorthand for --set lakehouse.root=DIR.")
  String lakehouse;

  /** Defaults, then {@code base} files (e.g. the demo's local.conf), then --config files, then --set. */
  public RefineryConfig load(List<Path> baseFiles) {
    ConfigLoader loader = new ConfigLoader();
    baseFiles.forEach(loader::file);
    configFiles.forEach(loader::file);
    if (lakehouse != null) {
      loader.set("lakehouse.root", lakehouse);
    }
    overrides.forEach(loader::set);
    return loader.load();
  }

  public RefineryConfig load() {
    return load(List.of());
  }
}
