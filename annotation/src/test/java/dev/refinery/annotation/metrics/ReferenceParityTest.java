package dev.refinery.annotation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.annotation.metrics.CohenKappa.Weighting;
import dev.refinery.annotation.metrics.KrippendorffAlpha.Level;
import dev.refinery.core.testing.PythonHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Parity with the Python {@code krippendorff} and {@code statsmodels} packages on random data, within 1e-9. */
class ReferenceParityTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void matchesReferenceImplementations() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    List<double[][]> alphaCases = new ArrayList<>();
    for (int c = 0; c < 12; c++) {
      int raters = 2 + random.nextInt(6);
      int units = 5 + random.nextInt(60);
      int values = 2 + random.nextInt(5);
      double missing = random.nextDouble() * 0.5;
      double[][] data = new double[raters][units];
      for (int r = 0; r < raters; r++) {
        for (int u = 0; u < units; u++) {
          // Values 1..V with a unit-level bias so alpha is not ~0; some cases use non-integer values.
          double value = 1 + Math.floorMod(u + (random.nextDouble() < 0.6 ? 0 : random.nextInt(values)), values);
          data[r][u] = random.nextDouble() < missing ? Double.NaN : (c % 3 == 0 ? value * 0.5 + 0.25 : value);
        }
      }
      alphaCases.add(data);
    }
    List<double[][]> cohenCases = new ArrayList<>();
    for (int c = 0; c < 10; c++) {
      int k = 2 + random.nextInt(4);
      double[][] table = new double[k][k];
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          table[i][j] = random.nextInt(20) + (i == j ? 15 : 0);
        }
      }
      cohenCases.add(table);
    }
    List<double[][]> fleissCases = new ArrayList<>();
    for (int c = 0; c < 10; c++) {
      int units = 5 + random.nextInt(40);
      int categories = 2 + random.nextInt(4);
      int raters = 2 + random.nextInt(8);
      double[][] counts = new double[units][categories];
      for (int u = 0; u < units; u++) {
        int favourite = random.nextInt(categories);
        for (int r = 0; r < raters; r++) {
          counts[u][random.nextDouble() < 0.5 ? favourite : random.nextInt(categories)]++;
        }
      }
      fleissCases.add(counts);
    }

    Map<String, Object> spec = new LinkedHashMap<>();
    List<Map<String, Object>> alphaSpec = new ArrayList<>();
    for (double[][] data : alphaCases) {
      List<List<Double>> rows = new ArrayList<>();
      for (double[] row : data) {
        List<Double> values = new ArrayList<>();
        for (double v : row) {
          values.add(Double.isNaN(v) ? null : v);
        }
        rows.add(values);
      }
      alphaSpec.add(Map.of("data", rows));
    }
    spec.put("alpha", alphaSpec);
    spec.put("cohen", cohenCases);
    spec.put("fleiss", fleissCases);
    Path input = Files.createTempFile("parity-", ".json");
    JSON.writeValue(input.toFile(), spec);

    JsonNode reference = JSON.readTree(PythonHarness.run(Path.of("python/annotation/parity.py"),
        List.of(input.toString()), 120));

    for (int c = 0; c < alphaCases.size(); c++) {
      JsonNode expected = reference.get("alpha").get(c);
      for (Level level : Level.values()) {
        double want = expected.get(level.name().toLowerCase(java.util.Locale.ROOT)).asDouble();
        assertThat(KrippendorffAlpha.alpha(alphaCases.get(c), level)).as("alpha case %d %s", c, level)
            .isCloseTo(want, within(1e-9));
      }
    }
    for (int c = 0; c < cohenCases.size(); c++) {
      JsonNode expected = reference.get("cohen").get(c);
      assertThat(CohenKappa.kappa(cohenCases.get(c), Weighting.NONE)).isCloseTo(expected.get("none").asDouble(), within(1e-9));
      assertThat(CohenKappa.kappa(cohenCases.get(c), Weighting.LINEAR)).isCloseTo(expected.get("linear").asDouble(), within(1e-9));
      assertThat(CohenKappa.kappa(cohenCases.get(c), Weighting.QUADRATIC))
          .isCloseTo(expected.get("quadratic").asDouble(), within(1e-9));
    }
    for (int c = 0; c < fleissCases.size(); c++) {
      assertThat(FleissKappa.kappa(fleissCases.get(c))).as("fleiss case %d", c)
          .isCloseTo(reference.get("fleiss").get(c).asDouble(), within(1e-9));
    }
  }
}
