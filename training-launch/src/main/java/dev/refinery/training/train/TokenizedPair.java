package dev.refinery.training.train;

/**
 * One preference pair as token ids: the chat-formatted prompt and the two responses (each ending with the end of
 * text id). {@code weight} scales the pair's loss; {@code referenceChosen}/{@code referenceRejected} are the
 * reference model's summed log-probs (NaN when not computed yet).
 */
public record TokenizedPair(String pairId, int[] prompt, int[] chosen, int[] rejected, double weight,
    double referenceChosen, double referenceRejected) {

  public TokenizedPair withReference(double chosenLogp, double rejectedLogp) {
    return new TokenizedPair(pairId, prompt, chosen, rejected, weight, chosenLogp, rejectedLogp);
  }

  public boolean hasReference() {
    return !Double.isNaN(referenceChosen) && !Double.isNaN(referenceRejected);
  }
}
