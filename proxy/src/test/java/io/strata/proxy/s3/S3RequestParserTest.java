package io.strata.proxy.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names as they arrive on the wire: decoding, and the bucket, key and query rules applied to them. */
class S3RequestParserTest {

  private final S3RequestParser parser = new S3RequestParser(List.of("localhost"));

  private S3Request get(String uri) {
    return parser.parse("GET", uri, Map.of("host", "127.0.0.1:9100"), "id", io.strata.proxy.s3.auth.Authentication.ANONYMOUS);
  }

  @Test
  void parse_decodesPercentEscapesAsUtf8() {
    assertThat(get("/logs/a%2Fb%20c+d").key()).isEqualTo("a/b c+d");
    assertThat(get("/logs/%D0%BA%D0%BB%D1%8E%D1%87").key()).isEqualTo("ключ");
  }

  @Test
  void parse_rawUtf8BytesDecodeLikeTheirEscapes() {
    // Netty hands over the request line one char per byte: "é" sent raw arrives as U+00C3 U+00A9.
    assertThat(get("/logs/caf\u00c3\u00a9").key()).isEqualTo("café");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/logs/%C3%28", "/logs/%FF", "/logs/%ED%A0%80" /* a surrogate */, "/logs/caf\u00e9",
      "/logs/k?prefix=%C3"})
  void parse_refusesInvalidUtf8(String uri) {
    assertError(() -> get(uri), S3ErrorCode.INVALID_ARGUMENT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/logs/../../etc/passwd", "/logs/..%2F..%2Fx", "/logs/%2e%2e/x", "/logs/%2E%2E%2Fx",
      "/logs/a/%2e/b", "/logs/a/..", "/logs//etc/passwd", "/logs/%2Fetc", "/logs/a%00b", "/logs/a%0Ab",
      "/logs/a%7Fb", "/logs/..%5Cx"})
  void parse_refusesHostileKeys(String uri) {
    S3Exception e = assertError(() -> get(uri), S3ErrorCode.INVALID_ARGUMENT);
    assertThat(e.details()).containsKey("Key");
  }

  @Test
  void parse_refusesKeysOver1024Bytes() {
    assertThat(get("/logs/" + "k".repeat(1024)).key()).hasSize(1024);
    assertError(() -> get("/logs/" + "k".repeat(1025)), S3ErrorCode.KEY_TOO_LONG);
    assertError(() -> get("/logs/" + "%C3%A9".repeat(513)), S3ErrorCode.KEY_TOO_LONG);
  }

  @ParameterizedTest
  @ValueSource(strings = {"//x", "/../x", "/%2e%2e/x", "/./x", "/ab/x", "/a..b/x", "/192.168.5.4/x", "/xn--abc/x",
      "/bucket%00/x", "/bu%2Fcket", "/-logs", "/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"})
  void parse_refusesInvalidBucketNames(String uri) {
    S3Exception e = assertError(() -> get(uri), S3ErrorCode.INVALID_BUCKET_NAME);
    assertThat(e.details()).containsKey("BucketName");
  }

  @Test
  void parse_refusesInvalidBucketNamesFromTheHost() {
    assertError(
        () -> parser.parse("GET", "/x", Map.of("host", "a..b.localhost:9100"), "id", io.strata.proxy.s3.auth.Authentication.ANONYMOUS), S3ErrorCode.INVALID_BUCKET_NAME);
    assertThat(parser.parse("GET", "/x", Map.of("host", "logs.localhost:9100"), "id", io.strata.proxy.s3.auth.Authentication.ANONYMOUS).bucket()).isEqualTo("logs");
  }

  @Test
  void parse_listingParametersAreNotPaths_onlyNulIsRefused() {
    S3Request list = get("/logs?list-type=2&prefix=../../etc/&delimiter=..&start-after=%2Fetc%2Fpasswd");
    assertThat(list.operation()).isEqualTo(S3Operation.LIST_OBJECTS_V2);
    assertThat(list.param("prefix")).isEqualTo("../../etc/");
    assertThat(list.param("start-after")).isEqualTo("/etc/passwd");
    assertError(() -> get("/logs?list-type=2&prefix=a%00"), S3ErrorCode.INVALID_ARGUMENT);
    assertError(() -> get("/logs?list-type=2&delimiter=%00"), S3ErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void parse_keepsValidOddKeys() {
    assertThat(get("/logs/dir/").key()).isEqualTo("dir/");
    assertThat(get("/logs/a//b").key()).isEqualTo("a//b");
    assertThat(get("/logs/...").key()).isEqualTo("...");
    assertThat(get("/logs/.hidden/x..y").key()).isEqualTo(".hidden/x..y");
    assertThat(get("/Legacy_Bucket/k").bucket()).isEqualTo("Legacy_Bucket");
  }

  private static S3Exception assertError(Runnable call, S3ErrorCode code) {
    S3Exception[] thrown = new S3Exception[1];
    assertThatThrownBy(call::run).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      thrown[0] = e;
    });
    return thrown[0];
  }
}
