package dev.refinery.synthesis.cai;

import dev.refinery.synthesis.selfinstruct.RougeL;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a "revision" is a critique, or repeats the critique or the request, instead of being the rewritten
 * answer. A revision speaks to the human; a critique speaks about the dialogue. So the signs are: talk about a
 * previous response ("my last response", "the original answer"), the assistant or the human in the third
 * person ("the assistant's response", "the human wants"), a verdict on "the response" ("the response is
 * harmful") or on itself ("I should have mentioned"), a leading CritiqueRequest/RevisionRequest label; or a
 * ROUGE-L F-measure of at least {@link #CRITIQUE_OVERLAP} with the critique, or {@link #COPIED} of its tokens
 * (in order) copied from the critique ("The statement could have", the tail of a critique cut off by
 * max-tokens, given back as the revision), or an F-measure of at least {@link #REQUEST_OVERLAP} with the
 * principle's critique or revision request. A third-person pattern does not count when the prompt itself uses its key
 * word ("What does an executive assistant do?" may well be answered with "The assistant is ...").
 */
final class CritiqueStyle {
  static final double CRITIQUE_OVERLAP = 0.6;
  static final double COPIED = 0.8;
  static final double REQUEST_OVERLAP = 0.5;

  private record Sign(Pattern pattern, String keyWord) {}

  private static final List<Sign> SIGNS = List.of(
      new Sign(Pattern.compile("\\b(?:my|the|your|its|this|that)\\s+(?:own\\s+)?(?:last|previous|prior|preceding"
          + "|precedings|earlier|above|original|initial|first)\\s+(?:response|answer|reply|message)s?\\b"), null),
      new Sign(Pattern.compile("\\bthe\\s+(?:ai\\s+)?assistant(?:'s|s'|s)?\\b"), "assistant"),
      new Sign(Pattern.compile("\\bthe\\s+human(?:'s)?\\s+(?:is|was|asks|asked|wants|wanted|requests?|questions?"
          + "|prompts?|messages?|dialogue|statements?|responses?|query|queries|seems|appears|has|had|did|does)\\b"),
          "human"),
      new Sign(Pattern.compile("\\b(?:the|this|that|my)\\s+response\\s+(?:is|was|does|did|could|should|would"
          + "|contains|contained|includes|included|fails|failed|seems|provides|provided|promotes|encourages"
          + "|suggests|has|had|may|might)\\b"), "response"),
      new Sign(Pattern.compile("\\bi should have (?:been|said|mentioned|pointed|included|avoided|refused|noted"
          + "|explained|clarified|added|asked|warned)\\b"), null),
      new Sign(Pattern.compile("^\\W*(?:critique|critiquerequest|revisionrequest|critique request|revision request)"
          + "\\s*:"), null));

  private CritiqueStyle() {}

  /** {@code true} when {@code revision} reads as a critique of the dialogue or an echo of the critique/request. */
  static boolean isCritique(String revision, String prompt, String critique, Constitution.Principle principle) {
    String text = revision.replace('\u2019', '\'').toLowerCase(Locale.ROOT);
    String asked = prompt.toLowerCase(Locale.ROOT);
    for (Sign sign : SIGNS) {
      if ((sign.keyWord() == null || !asked.contains(sign.keyWord())) && sign.pattern().matcher(text).find()) {
        return true;
      }
    }
    List<String> tokens = RougeL.tokenize(revision);
    List<String> critiqueTokens = RougeL.tokenize(critique);
    boolean copied = !tokens.isEmpty() && !critiqueTokens.isEmpty()
        && RougeL.lcs(critiqueTokens, tokens) >= COPIED * tokens.size();
    return copied || RougeL.fmeasure(critiqueTokens, tokens) >= CRITIQUE_OVERLAP
        || RougeL.fmeasure(RougeL.tokenize(principle.critiqueRequest()), tokens) >= REQUEST_OVERLAP
        || RougeL.fmeasure(RougeL.tokenize(principle.revisionRequest()), tokens) >= REQUEST_OVERLAP;
  }
}
