package dev.refinery.annotation.labels;

import dev.refinery.core.llm.ChatMessage;
import dev.refinery.core.text.StableIds;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One imported {@code preference_pairs} row ({@link dev.refinery.core.table.PreferenceSchemas}): source
 * {@code import}, {@code origin_table} the import source name (e.g. {@code pandalm}), {@code origin_id} the
 * item's id in it, {@code prompt_source} the file it came from.
 */
public record PreferencePair(String pairId, String prompt, List<ChatMessage> promptMessages, String chosen,
    String rejected, String source, String principle, String originTable, String originId, String promptSource) {

  public static final String SOURCE_IMPORT = "import";

  /**
   * The pair id is a hash of the content, so the same pair imported from two files (or labelled in two
   * tools) is one pair.
   */
  public static String id(String prompt, String chosen, String rejected) {
    return StableIds.of("pair", prompt, chosen, rejected);
  }

  /** An imported pair keyed by its content. */
  public static PreferencePair imported(String prompt, List<ChatMessage> messages, String chosen, String rejected,
      String originTable, String originId, String promptSource) {
    return imported(id(prompt, chosen, rejected), prompt, messages, chosen, rejected, originTable, originId,
        promptSource);
  }

  /** An imported pair keyed by the source's own item id (sources that label identical content twice). */
  public static PreferencePair imported(String pairId, String prompt, List<ChatMessage> messages, String chosen,
      String rejected, String originTable, String originId, String promptSource) {
    return new PreferencePair(pairId, prompt, messages, chosen, rejected, SOURCE_IMPORT, null, originTable, originId,
        promptSource);
  }

  public Row toRow(String runId, Timestamp at) {
    List<Row> messages = promptMessages.stream().map(m -> RowFactory.create(m.role(), m.content())).toList();
    return RowFactory.create(pairId, prompt, CollectionConverters.asScala(messages).toSeq(), chosen, rejected,
        source, principle, originTable, originId, promptSource, null, runId, at);
  }
}
