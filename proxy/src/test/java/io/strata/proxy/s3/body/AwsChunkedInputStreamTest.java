package io.strata.proxy.s3.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-built framings: the edge cases real SDK captures do not cover. */
class AwsChunkedInputStreamTest {

  private static final String SIG = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648";

  @Test
  void read_unsignedFinalChunkThenTrailers_decoded() throws IOException {
    AwsChunkedInputStream in = unsigned("5\r\nhello\r\n0\r\nx-amz-checksum-crc32c:yWq4Tw==\r\n\r\n");

    assertThat(text(in)).isEqualTo("hello");
    assertThat(in.trailers()).containsExactly(Map.entry("x-amz-checksum-crc32c", "yWq4Tw=="));
  }

  @Test
  void read_blankLineBeforeTrailers_lenient() throws IOException {
    AwsChunkedInputStream in = unsigned("5\r\nhello\r\n0\r\n\r\nX-Amz-Checksum-CRC32: abc=\r\n\r\n");

    assertThat(text(in)).isEqualTo("hello");
    assertThat(in.trailers()).containsExactly(Map.entry("x-amz-checksum-crc32", "abc="));
  }

  @Test
  void read_noFinalBlankLine_lenient() throws IOException {
    assertThat(text(unsigned("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:abc=\r\n"))).isEqualTo("hello");
    assertThat(text(chunked("5\r\nhello\r\n0\r\n", false, false))).isEqualTo("hello");
  }

  @Test
  void read_bareLfLineEnds_lenient() throws IOException {
    assertThat(text(unsigned("5\nhello\r\n0\nx-amz-checksum-crc32:abc=\n\n"))).isEqualTo("hello");
  }

  @Test
  void read_signedChunks_signaturesInOrder() throws IOException {
    String sig2 = SIG.replace('a', 'b');
    AwsChunkedInputStream in = chunked("3;chunk-signature=" + SIG + "\r\nabc\r\n0;chunk-signature="
        + sig2.toUpperCase() + "\r\n\r\n", true, false);

    assertThat(text(in)).isEqualTo("abc");
    assertThat(in.chunkSignatures()).containsExactly(SIG, sig2);
  }

  @Test
  void read_unknownChunkExtension_ignored() throws IOException {
    assertThat(text(chunked("3;foo=bar\r\nabc\r\n0\r\n\r\n", false, false))).isEqualTo("abc");
  }

  @Test
  void read_emptyPayload_eof() throws IOException {
    assertThat(text(chunked("0\r\n\r\n", false, false))).isEmpty();
  }

  @Test
  void read_oneByteAtATime_sameBytes() throws IOException {
    AwsChunkedInputStream in = unsigned("2\r\nab\r\n1\r\nc\r\n0\r\n\r\n");
    StringBuilder out = new StringBuilder();
    for (int b = in.read(); b >= 0; b = in.read()) {
      out.append((char) b);
    }
    assertThat(out).hasToString("abc");
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void read_signedChunkWithoutSignature_invalidRequest() {
    assertFraming(chunked("3\r\nabc\r\n0\r\n\r\n", true, false), "has no chunk-signature");
  }

  @Test
  void read_shortSignature_invalidRequest() {
    assertFraming(chunked("3;chunk-signature=abcd\r\nabc\r\n0\r\n\r\n", true, false),
        "Invalid chunk-signature");
  }

  @Test
  void read_badHex_invalidRequest() {
    assertFraming(unsigned("-3\r\nabc\r\n0\r\n\r\n"), "Invalid chunk size");
    assertFraming(unsigned("\r\nabc\r\n0\r\n\r\n"), "Invalid chunk size");
    assertFraming(unsigned("0x3\r\nabc\r\n0\r\n\r\n"), "Invalid chunk size");
  }

  @Test
  void read_chunkOverCap_invalidRequest() {
    assertFraming(unsigned("1000001\r\nabc"), "exceeds the maximum of 16777216 bytes");
    assertFraming(unsigned("ffffffffffffffff\r\nabc"), "exceeds the maximum");
  }

  @Test
  void read_sizeShorterThanData_invalidRequest() {
    assertFraming(unsigned("2\r\nabc\r\n0\r\n\r\n"), "does not end at its declared size");
  }

  @Test
  void read_sizeBeyondData_invalidRequest() {
    assertFraming(unsigned("4\r\nabc\r\n0\r\n\r\n"), "does not end at its declared size");
  }

  @Test
  void read_sizeBeyondEndOfBody_incompleteBody() {
    assertIncomplete(unsigned("10\r\nabc\r\n"));
  }

  @Test
  void read_missingCrlfAfterData_invalidRequest() {
    assertFraming(unsigned("3\r\nabc0\r\n\r\n"), "does not end at its declared size");
  }

  @Test
  void read_eofInSizeLine_incompleteBody() {
    assertIncomplete(unsigned("3\r\nabc\r\n0"));
    assertIncomplete(unsigned(""));
  }

  @Test
  void read_eofInTrailerLine_incompleteBody() {
    assertIncomplete(unsigned("3\r\nabc\r\n0\r\nx-amz-checksum-crc32:ab"));
  }

  @Test
  void read_signedTrailerWithoutTrailerSignature_incompleteBody() {
    assertIncomplete(chunked("3;chunk-signature=" + SIG + "\r\nabc\r\n0;chunk-signature=" + SIG
        + "\r\nx-amz-checksum-crc32:abc=\r\n\r\n", true, true));
  }

  @Test
  void read_trailerWithoutColon_invalidRequest() {
    assertFraming(unsigned("3\r\nabc\r\n0\r\nx-amz-checksum-crc32\r\n\r\n"),
        "Malformed trailing header");
  }

  @Test
  void read_repeatedTrailer_invalidRequest() {
    assertFraming(unsigned("3\r\nabc\r\n0\r\na:1\r\na:2\r\n\r\n"), "is repeated");
  }

  @Test
  void read_trailersWhenNoneAnnounced_invalidRequest() {
    assertFraming(chunked("3\r\nabc\r\n0\r\nx-amz-checksum-crc32:abc=\r\n\r\n", false, false),
        "after the final chunk");
  }

  @Test
  void read_dataAfterTrailerSection_invalidRequest() {
    assertFraming(unsigned("3\r\nabc\r\n0\r\na:1\r\n\r\n3\r\nabc\r\n"), "after the final chunk");
  }

  @Test
  void read_overlongLine_invalidRequest() {
    assertFraming(unsigned("3;" + "x".repeat(5000) + "\r\nabc\r\n0\r\n\r\n"), "longer than 4096");
  }

  @Test
  void read_oversizedTrailerSection_invalidRequest() {
    StringBuilder body = new StringBuilder("3\r\nabc\r\n0\r\n");
    for (int i = 0; i < 100; i++) {
      body.append("x-amz-meta-").append(i).append(':').append("v".repeat(200)).append("\r\n");
    }
    assertFraming(unsigned(body.append("\r\n").toString()), "exceed 16384 bytes");
  }

  @Test
  void trailers_beforeEof_empty() throws IOException {
    AwsChunkedInputStream in = unsigned("3\r\nabc\r\n0\r\na:1\r\n\r\n");
    assertThat(in.read(new byte[3])).isEqualTo(3);
    assertThat(in.trailers()).isEmpty();
    assertThat(in.read()).isEqualTo(-1);
    assertThat(in.trailers()).containsOnlyKeys("a");
  }

  private static AwsChunkedInputStream unsigned(String body) {
    return chunked(body, false, true);
  }

  private static AwsChunkedInputStream chunked(String body, boolean signed, boolean trailer) {
    InputStream raw = new ByteArrayInputStream(body.getBytes(StandardCharsets.ISO_8859_1));
    return new AwsChunkedInputStream(raw, signed, trailer);
  }

  private static String text(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  private static void assertFraming(InputStream in, String message) {
    assertThatThrownBy(in::readAllBytes).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_REQUEST);
      assertThat(e.getMessage()).startsWith("Malformed aws-chunked body: ").contains(message);
    });
  }

  private static void assertIncomplete(InputStream in) {
    assertThatThrownBy(in::readAllBytes).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.code()).isEqualTo(S3ErrorCode.INCOMPLETE_BODY);
      assertThat(e.getMessage()).isEqualTo(S3ErrorCode.INCOMPLETE_BODY.defaultMessage());
    });
  }
}
