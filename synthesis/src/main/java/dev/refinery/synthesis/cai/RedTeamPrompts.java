package dev.refinery.synthesis.cai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.error.RefineryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Red-team prompts: the first human turn of HH-RLHF transcripts ({@code chosen}) and of the CAI paper's
 * sample files ({@code rl_prompt}), as {@code (source, prompt)} pairs.
 */
public final class RedTeamPrompts {
  public record Prompt(String source, String text) {}

  private RedTeamPrompts() {}

  /** Reads a gzipped or plain JSON-lines file; {@code field} holds a "\n\nHuman: ...\n\nAssistant: ..." transcript. */
  public static List<Prompt> read(Path file, String field, String source) {
    ObjectMapper json = new ObjectMapper();
    List<Prompt> prompts = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        file.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = json.readTree(line);
        String prompt = firstHumanTurn(node.path(field).asText(""));
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

  static String firstHumanTurn(String transcript) {
    int start = transcript.indexOf("Human:");
    if (start < 0) {
      return transcript.strip();
    }
    start += "Human:".length();
    int end = transcript.indexOf("\n\nAssistant:", start);
    return (end < 0 ? transcript.substring(start) : transcript.substring(start, end)).strip();
  }
}
