package dev.refinery.synthesis.selfinstruct;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.testing.ScriptedLlm;
import dev.refinery.core.testing.StageContractTest;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;

/**
 * self-instruct under the stage contract, on the paper's real seed tasks and a scripted model (through the real
 * HTTP client and call cache) that proposes new instructions and answers them.
 */
class SelfInstructContractTest extends StageContractTest {
  private static final ScriptedLlm LLM = ScriptedLlm.start(SelfInstructContractTest::answer);
  private static final String LIST = """
      1. Describe the migration habits of arctic terns in a short paragraph.
      2. Suggest a name for a small shop that sells paper lanterns.
      3. Explain how a sundial tells the time on a clear day.
      """;

  @AfterAll
  static void stop() {
    LLM.close();
  }

  @Override
  protected StageProvider provider() {
    return new SelfInstructProvider();
  }

  @Override
  protected RefineryConfig configure(RefineryConfig base) {
    return LLM.configure(base).with("self-instruct.max-rounds", 1).with("self-instruct.prompts-per-round", 1);
  }

  @Override
  protected void seedInputs() {
    // Reads the seed tasks file.
  }

  private static ScriptedLlm.Reply answer(ScriptedLlm.Request request) {
    String prompt = request.lastUser();
    if (prompt.startsWith("Come up with a series")) {
      return ScriptedLlm.text(LIST);
    }
    if (prompt.startsWith("Can the following task")) {
      return ScriptedLlm.text("No");
    }
    String task = prompt.substring(prompt.lastIndexOf("Task: ")).toLowerCase(Locale.ROOT);
    return ScriptedLlm.text("Output: A clear answer about " + (task.contains("terns") ? "terns"
        : task.contains("lanterns") ? "lanterns" : "sundials") + ".");
  }
}
