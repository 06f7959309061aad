package dev.refinery.synthesis.cai;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.testing.ScriptedLlm;
import dev.refinery.core.testing.StageContractTest;
import org.junit.jupiter.api.AfterAll;

/**
 * cai under the stage contract, on the first real HH-RLHF red-team prompts and a scripted model (through the
 * real HTTP client and call cache) that critiques and revises every answer.
 */
class CaiContractTest extends StageContractTest {
  private static final ScriptedLlm LLM = ScriptedLlm.start(CaiContractTest::answer);

  @AfterAll
  static void stop() {
    LLM.close();
  }

  @Override
  protected StageProvider provider() {
    return new CaiProvider();
  }

  @Override
  protected RefineryConfig configure(RefineryConfig base) {
    return LLM.configure(base).with("cai.max-prompts", 4).with("cai.rounds", 1).with("cai.few-shot-examples", 0);
  }

  @Override
  protected void seedInputs() {
    // Reads the HH-RLHF prompts file.
  }

  private static ScriptedLlm.Reply answer(ScriptedLlm.Request request) {
    String last = request.lastUser();
    int id = Math.abs(request.messages().get(0).content().hashCode() % 10_000);
    if (request.messages().size() == 1) {
      return ScriptedLlm.text("A first answer, number " + id + ".");
    }
    return ScriptedLlm.text(last.startsWith("RevisionRequest:")
        ? "Revision: A kinder and more careful answer, number " + id + "."
        : "Critique: The answer could be kinder.");
  }
}
