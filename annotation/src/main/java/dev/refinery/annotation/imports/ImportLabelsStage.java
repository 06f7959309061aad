package dev.refinery.annotation.imports;

import dev.refinery.annotation.labels.Judgment;
import dev.refinery.annotation.labels.PreferencePair;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.table.AnnotationSchemas;
import dev.refinery.core.table.PreferenceSchemas;
import dev.refinery.core.table.Tables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code import-labels}: human (or third-party model) labels from files into {@code judgments}, and the
 * pairs themselves into {@code preference_pairs} (source {@code import}) where the file carries them
 * (PandaLM, Label Studio tasks with prompt/chosen/rejected, HH-RLHF).
 *
 * <p>Counts: rows in = labels read (pairs read for the pairs-only HH-RLHF format); rows out = judgments
 * (pairs) written; duplicates of (pair, rater) are dropped; unparseable labels and records are quarantined
 * with file, position and reason. Files are parsed on the driver: label exports are small next to the data
 * they label; a multi-gigabyte export should be split and imported in several runs.
 */
public final class ImportLabelsStage implements Stage {
  static final StageSpec SPEC = StageSpec.builder("import-labels")
      .writes(Tables.JUDGMENTS, Tables.PREFERENCE_PAIRS).config("import-labels")
      .description("import human labels (generic JSONL/CSV, Label Studio, PandaLM, HH-RLHF)")
      .build();

  @Override
  public StageSpec spec() {
    return SPEC;
  }

  private static final StructType QUARANTINE_ROWS = new StructType()
      .add("source", DataTypes.StringType).add("position", DataTypes.StringType)
      .add("reason", DataTypes.StringType).add("raw", DataTypes.StringType);

  private final ImportLabelsOptions options;

  public ImportLabelsStage(ImportLabelsOptions options) {
    this.options = options;
  }

  @Override
  public StageResult run(StageContext context) {
    if (options.paths().isEmpty()) {
      throw RefineryException.userError(
          "Cannot run stage import-labels: import-labels.paths is empty. Set it to the label files to import");
    }
    ImportSink sink = new ImportSink();
    read(sink);
    Timestamp now = Timestamp.from(Instant.now());
    var spark = context.spark();

    List<Row> pairRows = new ArrayList<>();
    for (PreferencePair pair : sink.pairs()) {
      pairRows.add(pair.toRow(context.runId(), now));
    }
    if (!pairRows.isEmpty()) {
      context.lakehouse().insertNew(Tables.PREFERENCE_PAIRS,
          spark.createDataFrame(pairRows, PreferenceSchemas.PREFERENCE_PAIRS), List.of("pair_id"));
    }
    List<Row> judgmentRows = new ArrayList<>();
    for (Judgment judgment : sink.judgments()) {
      judgmentRows.add(judgment.toRow(context.runId(), now));
    }
    if (!judgmentRows.isEmpty()) {
      context.lakehouse().upsert(Tables.JUDGMENTS,
          spark.createDataFrame(judgmentRows, AnnotationSchemas.JUDGMENTS), List.of("pair_id", "rater_id"));
    }
    context.lakehouse().createIfAbsent(Tables.JUDGMENTS, AnnotationSchemas.JUDGMENTS);
    List<Row> rejected = new ArrayList<>();
    for (ImportSink.Rejected r : sink.rejected()) {
      rejected.add(RowFactory.create(r.source(), r.position(), r.reason(), r.raw()));
    }
    if (!rejected.isEmpty()) {
      context.quarantine(spark.createDataFrame(rejected, QUARANTINE_ROWS));
    }

    boolean pairsOnly = options.format() == ImportFormat.HH_RLHF;
    long pairsDropped = sink.pairsDropped().values().stream().mapToLong(Long::longValue).sum();
    long in = (pairsOnly ? sink.pairRecords() + pairsDropped : sink.labelsRead()) + sink.recordsRejected();
    long out = pairsOnly ? sink.pairs().size() : sink.judgments().size();
    StageResult.Builder result = StageResult.builder().rowsIn(in).rowsOut(out).quarantined(rejected.size());
    if (pairsOnly) {
      result.dropped("duplicate-pair", sink.pairRecords() - sink.pairs().size());
      result.dropped(sink.pairsDropped());
    } else {
      result.dropped(sink.dropped());
    }
    return result.metric("pairs_imported", sink.pairs().size())
        .metric("judgments_imported", sink.judgments().size())
        .metric("records_quarantined", rejected.size())
        .build();
  }

  private void read(ImportSink sink) {
    LabelMapping labels = options.labelMapping();
    List<Path> files = new ArrayList<>();
    for (Path path : options.paths()) {
      if (!Files.isRegularFile(path)) {
        throw RefineryException.userError("Cannot read label file %s: no such file (import-labels.paths)", path);
      }
      files.add(path);
    }
    try {
      switch (options.format()) {
        case PANDALM -> new PandaLmReader(options.sourceName(), labels, options.importPairs(), options.maxRecords())
            .read(files, sink);
        case LABEL_STUDIO -> {
          LabelStudioReader reader = new LabelStudioReader(options.sourceName(), labels,
              options.labelStudioItemField(), options.maxRecords());
          for (Path file : files) {
            reader.read(file, sink);
          }
        }
        case GENERIC -> {
          GenericReader reader = new GenericReader(options.sourceName(), labels, options.itemField(),
              options.raterField(), options.labelField(), options.raterKind(), options.maxRecords());
          for (Path file : files) {
            reader.read(file, sink);
          }
        }
        case HH_RLHF -> {
          HhRlhfReader reader = new HhRlhfReader(options.sourceName(), options.maxRecords());
          for (Path file : files) {
            reader.read(file, sink);
          }
        }
      }
    } catch (IOException e) {
      throw RefineryException.external(e, "Cannot read label files %s: %s", options.paths(), e.getMessage());
    } catch (RuntimeException e) {
      if (e instanceof RefineryException) {
        throw e;
      }
      throw RefineryException.userError("Cannot parse label files %s as %s: %s", options.paths(),
          RefineryConfig.configName(options.format()), e.getMessage());
    }
  }
}
