package dev.refinery.annotation.judge;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.testing.HhRlhfPairs;
import dev.refinery.core.testing.ScriptedLlm;
import dev.refinery.core.testing.StageContractTest;
import org.junit.jupiter.api.AfterAll;

/**
 * judge under the stage contract, on real HH-RLHF pairs and a scripted judge (through the real HTTP client and
 * call cache) that always prefers the answer shown first.
 */
class JudgeContractTest extends StageContractTest {
  private static final ScriptedLlm LLM = ScriptedLlm.start(request -> ScriptedLlm.text("(A)"));

  @AfterAll
  static void stop() {
    LLM.close();
  }

  @Override
  protected StageProvider provider() {
    return new JudgeProvider();
  }

  @Override
  protected RefineryConfig configure(RefineryConfig base) {
    return LLM.configure(base).with("judge.principles", 1).with("judge.few-shot", 0);
  }

  @Override
  protected void seedInputs() {
    HhRlhfPairs.write(spark, lakehouse, 3);
  }
}
