package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S3 CORS for browser clients: preflights without credentials, headers on answers and errors. */
class CorsTest {

  private static final String VIEWER = "http://viewer.example:5173";

  @TempDir static Path dir;
  static StrataHarness strata;

  @BeforeAll
  static void start() throws Exception {
    strata = new StrataHarness(dir, Map.of("strata.s3.cors.allowed-origins", VIEWER));
    strata.put("cors/a.txt", "hello".getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() throws Exception {
    strata.close();
  }

  @Test
  void preflight_fromAnAllowedOrigin_isAnswered_withoutCredentials() throws Exception {
    RawHttp.Response ok = RawHttp.send(strata.endpoint(), "OPTIONS", "/logs/cors/a.txt", "127.0.0.1",
        "Origin", VIEWER, "Access-Control-Request-Method", "GET",
        "Access-Control-Request-Headers", "authorization,x-amz-date,x-amz-content-sha256,range");
    assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    assertThat(ok.headers()).containsEntry("access-control-allow-origin", VIEWER)
        .containsEntry("access-control-allow-headers", "authorization,x-amz-date,x-amz-content-sha256,range")
        .containsKey("access-control-allow-methods").containsEntry("vary", "Origin");

    RawHttp.Response other = RawHttp.send(strata.endpoint(), "OPTIONS", "/logs/cors/a.txt", "127.0.0.1",
        "Origin", "http://evil.example", "Access-Control-Request-Method", "GET");
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.text()).contains("<Code>AccessForbidden</Code>");
    assertThat(other.headers()).doesNotContainKey("access-control-allow-origin");

    RawHttp.Response badMethod = RawHttp.send(strata.endpoint(), "OPTIONS", "/logs/cors/a.txt", "127.0.0.1",
        "Origin", VIEWER, "Access-Control-Request-Method", "PATCH");
    assertThat(badMethod.status()).isEqualTo(403);
  }

  @Test
  void answers_andErrors_carryTheHeaders_forAnAllowedOrigin_only() throws Exception {
    HttpResponse<byte[]> got = strata.raw("GET", "/logs/cors/a.txt", "Origin", VIEWER);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.headers().firstValue("access-control-allow-origin")).hasValue(VIEWER);
    assertThat(got.headers().firstValue("access-control-expose-headers")).hasValueSatisfying(v -> assertThat(v).contains("ETag"));

    RawHttp.Response unsigned = RawHttp.send(strata.endpoint(), "GET", "/logs/cors/a.txt", "127.0.0.1", "Origin", VIEWER);
    assertThat(unsigned.status()).isEqualTo(403);
    assertThat(unsigned.headers()).containsEntry("access-control-allow-origin", VIEWER);

    HttpResponse<byte[]> noOrigin = strata.raw("GET", "/logs/cors/a.txt");
    assertThat(noOrigin.headers().firstValue("access-control-allow-origin")).isEmpty();
  }

  @Test
  void withoutConfiguration_preflightsAreRefused() throws Exception {
    try (StrataHarness closed = new StrataHarness(dir.resolve("closed"))) {
      RawHttp.Response refused = RawHttp.send(closed.endpoint(), "OPTIONS", "/logs/x", "127.0.0.1",
          "Origin", VIEWER, "Access-Control-Request-Method", "GET");
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.text()).contains("AccessForbidden");
    }
  }
}
