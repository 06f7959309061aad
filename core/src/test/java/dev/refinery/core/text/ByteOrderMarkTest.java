package dev.refinery.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteOrderMarkTest {
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private static ByteArrayInputStream withBom(String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[BOM.length + body.length];
    System.arraycopy(BOM, 0, bytes, 0, BOM.length);
    System.arraycopy(body, 0, bytes, BOM.length, body.length);
    return new ByteArrayInputStream(bytes);
  }

  @Test
  void skipsALeadingMarkAndSaysHowManyBytes() throws Exception {
    ByteArrayInputStream in = withBom("{\"a\":1}");
    assertThat(ByteOrderMark.skip(in)).isEqualTo(3);
    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");

    ByteArrayInputStream plain = new ByteArrayInputStream("\u00efx".getBytes(StandardCharsets.UTF_8));
    assertThat(ByteOrderMark.skip(plain)).isZero();
    assertThat(new String(plain.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("\u00efx");
    assertThat(ByteOrderMark.skip(new ByteArrayInputStream(new byte[] {(byte) 0xEF}))).isZero();
  }

  @Test
  void linesAndStringsLoseOnlyTheLeadingMark() throws Exception {
    try (BufferedReader reader = ByteOrderMark.utf8Lines(withBom("one\n\uFEFFtwo\n"))) {
      assertThat(reader.readLine()).isEqualTo("one");
      assertThat(reader.readLine()).isEqualTo("\uFEFFtwo");
    }
    try (BufferedReader reader = ByteOrderMark.utf8Lines(new ByteArrayInputStream("one".getBytes(StandardCharsets.UTF_8)))) {
      assertThat(reader.readLine()).isEqualTo("one");
    }
    assertThat(ByteOrderMark.strip("\uFEFFx\uFEFF")).isEqualTo("x\uFEFF");
    assertThat(ByteOrderMark.strip("")).isEmpty();
  }
}
