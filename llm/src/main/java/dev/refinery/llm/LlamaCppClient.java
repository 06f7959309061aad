package dev.refinery.llm;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.LogLevel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.llm.ChatRequest;
import dev.refinery.core.llm.ChatResponse;
import dev.refinery.core.llm.LlmClient;
import dev.refinery.core.model.ModelPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process llama.cpp engine (java-llama.cpp's JNI binding) answering chat requests from a GGUF model.
 * The prompt is rendered with {@link ChatMlTemplate}; sampling is seeded per request, so the same request
 * gives the same answer. Token counts come from the engine's tokenizer and the streamed tokens;
 * {@code finishReason} is {@code length} when the token budget ran out, else {@code stop}. Log-probabilities
 * are not available from this engine (see {@link #chat}).
 *
 * <p>Loading a model costs memory and seconds, so {@link LlmClientFactory} keeps one instance per executor
 * JVM; at most {@code concurrency} generations run at once (llama.cpp slots, the context split among them).
 */
public final class LlamaCppClient implements LlmClient {
  private static final Logger LOG = LoggerFactory.getLogger(LlamaCppClient.class);

  private final String modelId;
  private final LlamaModel model;
  private final Semaphore slots;

  public LlamaCppClient(LlmSettings settings) {
    LlmSettings.Local local = settings.local();
    Path path = ModelPaths.resolve(local.modelPath());
    if (!Files.isRegularFile(path)) {
      throw RefineryException.userError(
          "Cannot load the local LLM from %s: no such file (config llm.local.model-path = %s). Run bin/setup to fetch"
              + " it, or point llm.local.model-path at a GGUF file", path, local.modelPath());
    }
    this.modelId = settings.modelId();
    int threads = local.threads() > 0 ? local.threads() : Runtime.getRuntime().availableProcessors();
    int parallel = settings.concurrency();
    ModelParameters parameters = new ModelParameters()
        .setModel(path.toString())
        // Each slot gets contextSize tokens of its own.
        .setCtxSize(local.contextSize() * parallel)
        .setParallel(parallel)
        .setThreads(threads)
        .setThreadsBatch(threads)
        .setBatchSize(local.batchSize())
        .setGpuLayers(0);
    long start = System.nanoTime();
    try {
      LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> {
        if (level == LogLevel.ERROR) {
          LOG.warn("llama.cpp: {}", message.strip());
        }
      });
      this.model = new LlamaModel(parameters);
    } catch (RuntimeException | LinkageError e) {
      throw RefineryException.external(e, "Cannot load the local LLM from %s: %s", path, e.getMessage());
    }
    this.slots = new Semaphore(parallel, true);
    LOG.info("Loaded local LLM {} ({} threads, {} slots of {} tokens) in {} ms", path.getFileName(), threads,
        parallel, local.contextSize(), (System.nanoTime() - start) / 1_000_000);
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    if (request.logprobs()) {
      // java-llama.cpp 4.2.0 aborts the whole JVM (a GGML_ASSERT in its JSON glue) when n_probs is set, in
      // streaming and non-streaming mode alike: refuse instead of crashing the executor.
      throw RefineryException.userError(
          "Cannot return log-probabilities from the in-process llama.cpp engine (java-llama.cpp 4.2.0 aborts the"
              + " JVM when n_probs is set): serve the model with an OpenAI-compatible server (llama.cpp server,"
              + " vLLM) and set llm.provider = openai, or sample several answers instead");
    }
    String prompt = ChatMlTemplate.apply(request.messages());
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RefineryException.external(e, "Cannot generate with the local LLM %s: interrupted", modelId);
    }
    try {
      long start = System.nanoTime();
      int promptTokens = model.encode(prompt).length;
      List<ChatResponse.Choice> choices = new ArrayList<>();
      int completionTokens = 0;
      for (int sample = 0; sample < request.n(); sample++) {
        Generated generated = generate(prompt, request, request.seed() + sample);
        choices.add(generated.choice);
        completionTokens += generated.tokens;
      }
      long latency = (System.nanoTime() - start) / 1_000_000;
      return new ChatResponse(modelId, choices, promptTokens, completionTokens, latency);
    } catch (RuntimeException e) {
      throw RefineryException.external(e, "Cannot generate with the local LLM %s: %s", modelId, e.getMessage());
    } finally {
      slots.release();
    }
  }

  private record Generated(ChatResponse.Choice choice, int tokens) {}

  private Generated generate(String prompt, ChatRequest request, long seed) {
    List<String> stops = new ArrayList<>(request.stop());
    stops.add(ChatMlTemplate.END_OF_TURN);
    InferenceParameters inference = new InferenceParameters(prompt)
        .setTemperature((float) request.temperature())
        .setTopP((float) request.topP())
        .setNPredict(request.maxTokens())
        .setSeed((int) (seed ^ (seed >>> 32)))
        // A cached prompt prefix changes the logits slightly (batch vs single-token eval) and so the sample:
        // re-evaluate the prompt so the same request and seed always give the same answer.
        .setCachePrompt(false)
        .setStopStrings(stops.toArray(String[]::new));
    StringBuilder text = new StringBuilder();
    List<ChatResponse.TokenLogprob> logprobs = new ArrayList<>();
    int tokens = 0;
    for (LlamaOutput output : model.generate(inference)) {
      // The stream ends with an empty final message that carries the stop flag, not a token.
      if (output.text.isEmpty() && output.probabilities.isEmpty()) {
        continue;
      }
      tokens++;
      text.append(output.text);
    }
    tokens = Math.min(tokens, request.maxTokens());
    String finish = tokens >= request.maxTokens() ? "length" : "stop";
    return new Generated(new ChatResponse.Choice(text.toString(), finish, logprobs), tokens);
  }

  @Override
  public void close() {
    model.close();
  }
}
