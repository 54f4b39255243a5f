package io.strata.cache.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatJsonTest {

  @Test
  void encode_thenDecode_roundTrips() {
    Map<String, String> map = Map.of(
        "plain", "value", "quote\"and\\slash", "new\nline\ttab\r", "ctl", "\u0001", "ünï", "日本 😀", "", "");

    assertThat(FlatJson.decode(FlatJson.encode(map))).isEqualTo(map);
    assertThat(FlatJson.encode(Map.of())).isEqualTo("{}");
    assertThat(FlatJson.encode(Map.of("b", "2", "a", "1"))).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
  }

  @Test
  void decode_standardJson_isAccepted() {
    assertThat(FlatJson.decode(" { \"a\" : \"x\\u0041\\/\" } ")).isEqualTo(Map.of("a", "xA/"));
  }

  @Test
  void decode_malformed_fails() {
    assertThatThrownBy(() -> FlatJson.decode("{\"a\":1}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FlatJson.decode("{\"a\":\"x\"")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FlatJson.decode("{} x")).isInstanceOf(IllegalArgumentException.class);
  }
}
