package dev.refinery.annotation.imports;

import dev.refinery.annotation.labels.Judgment;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.model.ModelPaths;
import java.nio.file.Path;
import java.util.List;

/** The validated {@code import-labels.*} options. */
public record ImportLabelsOptions(
    List<Path> paths,
    ImportFormat format,
    String sourceName,
    long maxRecords,
    List<String> labelsA,
    List<String> labelsB,
    List<String> labelsTie,
    String itemField,
    String raterField,
    String labelField,
    String raterKind,
    String labelStudioItemField,
    boolean importPairs) {

  static final String PREFIX = "import-labels.";

  public static ImportLabelsOptions from(RefineryConfig config) {
    List<Path> paths = config.getStringList(PREFIX + "paths").stream().map(ModelPaths::resolve).toList();
    ImportFormat format = config.getEnum(PREFIX + "format", ImportFormat.class);
    String source = config.getOptionalString(PREFIX + "source-name").orElse(RefineryConfig.configName(format));
    String raterKind = config.check(PREFIX + "generic.rater-kind", config.getString(PREFIX + "generic.rater-kind"),
        k -> k.equals(Judgment.HUMAN) || k.equals(Judgment.AI), "one of human, ai");
    long maxRecords = config.getLong(PREFIX + "max-records");
    if (maxRecords < 0) {
      throw RefineryException.userError("Invalid config key '%smax-records': expected 0 (all) or a positive count "
          + "but got %d", PREFIX, maxRecords);
    }
    return new ImportLabelsOptions(paths, format, source, maxRecords,
        config.getStringList(PREFIX + "labels.a"), config.getStringList(PREFIX + "labels.b"),
        config.getStringList(PREFIX + "labels.tie"),
        config.getString(PREFIX + "generic.item-field"), config.getString(PREFIX + "generic.rater-field"),
        config.getString(PREFIX + "generic.label-field"), raterKind,
        config.getString(PREFIX + "label-studio.item-field"), config.getBoolean(PREFIX + "pandalm.import-pairs"));
  }

  LabelMapping labelMapping() {
    return new LabelMapping(labelsA, labelsB, labelsTie);
  }
}
