package dev.refinery.llm;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import dev.refinery.core.llm.ChatMessage;
import dev.refinery.core.llm.ChatRequest;
import dev.refinery.core.llm.GenerationOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Builds the {@code request} struct column ({@link dev.refinery.core.table.LlmSchemas#REQUEST}) that
 * {@link LlmCallCache#complete} takes, and converts between it and {@link ChatRequest}.
 */
public final class LlmRequests {
  private LlmRequests() {}

  /** A chat turn as a struct column. */
  public static Column message(String role, Column content) {
    return struct(lit(role).as("role"), content.cast("string").as("content"));
  }

  /** An array-of-turns column from turn columns made with {@link #message}. */
  public static Column messages(Column... turns) {
    return array(turns);
  }

  /** The request struct: {@code messages} (array of role/content structs), the options, and a seed column. */
  public static Column request(Column messages, GenerationOptions options, Column seed) {
    return struct(
        messages.as("messages"),
        lit(options.temperature()).as("temperature"),
        lit(options.topP()).as("top_p"),
        lit(options.maxTokens()).as("max_tokens"),
        array(options.stop().stream().map(functions::lit).toArray(Column[]::new)).cast("array<string>").as("stop"),
        seed.cast("long").as("seed"),
        lit(options.logprobs()).as("logprobs"),
        lit(options.topLogprobs()).as("top_logprobs"));
  }

  /** The request struct as a Spark row (for {@code createDataFrame} in tests and drivers). */
  public static Row toRow(ChatRequest request) {
    List<Row> messages = new ArrayList<>();
    for (ChatMessage message : request.messages()) {
      messages.add(RowFactory.create(message.role(), message.content()));
    }
    return RowFactory.create(CollectionConverters.asScala(messages).toSeq(), request.temperature(), request.topP(),
        request.maxTokens(), CollectionConverters.asScala(request.stop()).toSeq(), request.seed(), request.logprobs(),
        request.topLogprobs());
  }

  /** Reads a request struct row back into a {@link ChatRequest} (always one choice: samples are rows). */
  public static ChatRequest fromRow(Row request) {
    List<Row> turns = request.getList(request.fieldIndex("messages"));
    List<ChatMessage> messages = new ArrayList<>(turns.size());
    for (Row turn : turns) {
      messages.add(new ChatMessage(turn.getString(0), turn.isNullAt(1) ? "" : turn.getString(1)));
    }
    List<String> stop = request.getList(request.fieldIndex("stop"));
    return new ChatRequest(messages, request.getDouble(request.fieldIndex("temperature")),
        request.getDouble(request.fieldIndex("top_p")), request.getInt(request.fieldIndex("max_tokens")),
        stop, request.getLong(request.fieldIndex("seed")), 1, request.getBoolean(request.fieldIndex("logprobs")),
        request.getInt(request.fieldIndex("top_logprobs")));
  }

}
