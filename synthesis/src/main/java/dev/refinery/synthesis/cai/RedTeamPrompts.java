package dev.refinery.synthesis.cai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.text.ByteOrderMark;
import dev.refinery.core.text.HhRlhfTranscript;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Red-team prompts: the first human turn ({@link HhRlhfTranscript#firstHumanTurn}) of HH-RLHF transcripts
 * ({@code chosen}) and of the CAI paper's sample files ({@code rl_prompt}), as {@code (source, prompt)} pairs.
 */
public final class RedTeamPrompts {
  public record Prompt(String source, String text) {}

  private RedTeamPrompts() {}

  /**
   * Reads a gzipped or plain JSON-lines file (a leading byte-order mark is ignored); {@code field} holds a
   * "\n\nHuman: ...\n\nAssistant: ..." transcript.
   */
  public static List<Prompt> read(Path file, String field, String source) {
    ObjectMapper json = new ObjectMapper();
    List<Prompt> prompts = new ArrayList<>();
    try (BufferedReader reader = ByteOrderMark.utf8Lines(file.toString().endsWith(".gz")
        ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = json.readTree(line);
        String prompt = HhRlhfTranscript.firstHumanTurn(node.path(field).asText(""));
        if (!prompt.isEmpty()) {
          prompts.add(new Prompt(source, prompt));
        }
      }
    } catch (IOException e) {
      throw RefineryException.userError("Cannot read red-team prompts %s: %s", file, e.getMessage());
    }
    return prompts;
  }

  /** Every {@code *.jsonl.gz} file of a folder, field {@code rl_prompt}, source {@code cai/<file>}. */
  public static List<Prompt> readFolder(Path folder) {
    List<Prompt> prompts = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl.gz")).sorted().toList()) {
        String name = file.getFileName().toString();
        prompts.addAll(read(file, "rl_prompt", "cai/" + name.substring(0, name.length() - ".jsonl.gz".length())));
      }
    } catch (IOException e) {
      throw RefineryException.userError("Cannot list red-team prompt files in %s: %s", folder, e.getMessage());
    }
    return prompts;
  }
}
