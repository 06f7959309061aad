package dev.refinery.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.error.ErrorType;
import dev.refinery.core.error.RefineryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @Test
  void defaultsComeFromApplicationConf() {
    RefineryConfig config = RefineryConfig.defaults();
    assertThat(config.getString("lakehouse.root")).isEqualTo("./lakehouse");
    assertThat(config.getString("ingest.format")).isEqualTo("jsonl");
    assertThat(config.getString("ingest.jsonl.id-field")).isEqualTo("id");
    assertThat(config.getString("ingest.jsonl.text-field")).isEqualTo("text");
    assertThat(config.getBytes("ingest.max-document-bytes")).isEqualTo(1024 * 1024);
  }

  @Test
  void unknownKeyFailsNamingTheKeyAndSuggestingTheNearestOne() {
    assertThatThrownBy(() -> new ConfigLoader().set("ingest.formt=text").load())
        .isInstanceOf(RefineryException.class)
        .hasMessage("Unknown config key 'ingest.formt' (from --set ingest.formt): did you mean 'ingest.format'; "
            + "every key is documented in conf/application.conf")
        .extracting(e -> ((RefineryException) e).type()).isEqualTo(ErrorType.USER_ERROR);
  }

  @Test
  void wrongTypeFailsNamingKeyExpectedAndActual() {
    assertThatThrownBy(() -> new ConfigLoader().set("spark.shuffle-partitions=many").load())
        .hasMessage("Invalid config key 'spark.shuffle-partitions' (from --set spark.shuffle-partitions): "
            + "expected a number but got string \"many\"");
    assertThatThrownBy(() -> new ConfigLoader().set("ingest.paths=data.jsonl").load())
        .hasMessageStartingWith("Invalid config key 'ingest.paths' (from --set ingest.paths): expected a list");
  }

  @Test
  void fileLayersAreValidatedAndNamedInErrors(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.conf");
    Files.writeString(file, "ingest { text { mode = per-file }, unknown-option = 1 }\n");
    assertThatThrownBy(() -> new ConfigLoader().file(file).load())
        .hasMessageStartingWith("Unknown config key 'ingest.unknown-option' (from config file " + file + ")");
  }

  @Test
  void laterLayersWin(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("local.conf");
    Files.writeString(file, "lakehouse.root = \"/from/file\"\ningest.paths = [\"a\", \"b\"]\n");
    RefineryConfig config = new ConfigLoader().file(file).set("lakehouse.root=s3a://bucket/lake").load();
    assertThat(config.getString("lakehouse.root")).isEqualTo("s3a://bucket/lake");
    assertThat(config.getStringList("ingest.paths")).containsExactly("a", "b");
  }

  @Test
  void setParsesListsNumbersBooleansAndUrls() {
    assertThat(ConfigLoader.parseValue("[\"x\", \"y\"]")).isEqualTo(List.of("x", "y"));
    assertThat(ConfigLoader.parseValue("42")).isEqualTo(42L);
    assertThat(ConfigLoader.parseValue("0.5")).isEqualTo(0.5);
    assertThat(ConfigLoader.parseValue("true")).isEqualTo(true);
    assertThat(ConfigLoader.parseValue("s3a://bucket//x")).isEqualTo("s3a://bucket//x");
  }

  @Test
  void emptyObjectSectionsTakeAnyKey() {
    RefineryConfig config = new ConfigLoader().set("spark.conf.\"spark.executor.memory\"=8g").load();
    assertThat(config.getStringMap("spark.conf")).containsEntry("spark.executor.memory", "8g");
  }

  @Test
  void typedGettersNameTheKey() {
    RefineryConfig config = RefineryConfig.defaults().with("ingest.format", "csv");
    assertThatThrownBy(() -> config.getEnum("ingest.format", Format.class))
        .hasMessage("Invalid config key 'ingest.format': expected one of jsonl, per-line but got 'csv'");
    assertThatThrownBy(() -> config.getInt("spark.shuffle-partitions", 1000, 2000))
        .hasMessage("Invalid config key 'spark.shuffle-partitions': expected an integer in [1000, 2000] but got 8");
    assertThatThrownBy(() -> config.getString("no.such.key"))
        .hasMessage("Missing config key 'no.such.key': expected a string");
  }

  @Test
  void configHashChangesOnlyWithTheHashedSections() {
    RefineryConfig base = RefineryConfig.defaults();
    assertThat(base.hash("ingest")).isEqualTo(RefineryConfig.defaults().hash("ingest"));
    assertThat(base.with("ingest.format", "text").hash("ingest")).isNotEqualTo(base.hash("ingest"));
    assertThat(base.with("lakehouse.root", "/elsewhere").hash("ingest")).isEqualTo(base.hash("ingest"));
  }

  @Test
  void displayMasksSecretLookingKeys() {
    RefineryConfig config = new ConfigLoader().set("spark.conf.\"spark.hadoop.fs.s3a.secret.key\"=hunter2").load();
    assertThat(config.renderForDisplay()).doesNotContain("hunter2").contains("****");
  }

  enum Format { JSONL, PER_LINE }
}
