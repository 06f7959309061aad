package dev.refinery.training.stage;

import dev.refinery.llm.djl.TextTokenizer;
import dev.refinery.training.train.TokenizedPair;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.sql.Row;

/** One exported pair as the training task receives it (text; tokenised where the model is). */
public record PairRow(String pairId, String prompt, String chosen, String rejected, double weight,
    double referenceChosen, double referenceRejected) implements Serializable {

  /** From a row with pair_id, prompt, chosen, rejected, weight and nullable ref_chosen / ref_rejected. */
  public static PairRow of(Row row) {
    int refChosen = row.fieldIndex("ref_chosen");
    int refRejected = row.fieldIndex("ref_rejected");
    return new PairRow(row.getAs("pair_id"), row.getAs("prompt"), row.getAs("chosen"), row.getAs("rejected"),
        row.<Double>getAs("weight"),
        row.isNullAt(refChosen) ? Double.NaN : row.getDouble(refChosen),
        row.isNullAt(refRejected) ? Double.NaN : row.getDouble(refRejected));
  }

  public TokenizedPair tokenize(TextTokenizer tokenizer) {
    return new TokenizedPair(pairId, tokenizer.encodePrompt(prompt), response(tokenizer, chosen),
        response(tokenizer, rejected), weight, referenceChosen, referenceRejected);
  }

  private static int[] response(TextTokenizer tokenizer, String text) {
    int[] ids = tokenizer.encode(text);
    int[] out = Arrays.copyOf(ids, ids.length + 1);
    out[ids.length] = tokenizer.endOfText();
    return out;
  }
}
