package io.strata.proxy.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Request heads through Strata's decoder, then the framing rules: one reading of every body, or none. */
class RequestFramingTest {

  @Test
  void check_acceptsPlainRequests() {
    assertThat(check("GET /logs/k HTTP/1.1\r\nHost: h\r\n\r\n")).isNull();
    assertThat(check("PUT /logs/k HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello")).isNull();
    assertThat(check("PUT /logs/k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"))
        .isNull();
    assertThat(check("PUT /logs/k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n")).isNull();
    assertThat(check("GET /logs/k HTTP/1.1\r\nHost: h\r\nX-Tab: a\tb\r\nx-amz-meta-u: caf\u00c3\u00a9\r\n\r\n")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // request smuggling: two readings of where the body ends
      "PUT /logs/k HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
      "PUT /logs/k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
      "PUT /logs/k HTTP/1.0\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
      "PUT /logs/k HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
      "PUT /logs/k HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 6\r\n\r\n",
      "PUT /logs/k HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
      "PUT /logs/k HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
      "PUT /logs/k HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\n",
      "PUT /logs/k HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n",
      "PUT /logs/k HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n",
      // chunked must be the final coding, applied once
      "PUT /logs/k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
      "PUT /logs/k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n",
      "PUT /logs/k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity\r\n\r\n",
      "PUT /logs/k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
      "PUT /logs/k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: ,\r\n\r\n",
      "PUT /logs/k HTTP/1.0\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n",
      // not HTTP
      "GET /logs/k HTTP/9.9\r\nHost: h\r\n\r\n",
      "GET /logs/k HTTP/2.0\r\nHost: h\r\n\r\n",
      "GET /logs/k HTTP/1.1\r\nHost : h\r\n\r\n",
      // control characters in a header value
      "GET /logs/k HTTP/1.1\r\nHost: h\r\nX-Nul: a\u0000b\r\n\r\n",
      "GET /logs/k HTTP/1.1\r\nHost: h\r\nx-amz-meta-a: \u0001\r\n\r\n",
      "GET /logs/k HTTP/1.1\r\nHost: h\r\nX-Del: a\u007fb\r\n\r\n"})
  void check_refusesAmbiguousFraming_with400(String head) {
    S3Exception e = check(head);
    assertThat(e).as(head).isNotNull();
    assertThat(e.code()).as(head).isEqualTo(S3ErrorCode.INVALID_REQUEST);
  }

  @Test
  void check_otherTransferCodingsBeforeChunked_are501() {
    S3Exception e = check("PUT /logs/k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
    assertThat(e.code()).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED);
  }

  @Test
  void check_overlongRequestLine_is414() {
    S3Exception e = check("GET /logs/" + "k".repeat(StrictRequestDecoder.MAX_REQUEST_LINE_BYTES) + " HTTP/1.1\r\n\r\n");
    assertThat(e.code()).isEqualTo(S3ErrorCode.REQUEST_URI_TOO_LONG);
    assertThat(e.code().status()).isEqualTo(414);
  }

  @Test
  void check_overlongHeaders_isRequestHeaderSectionTooLarge() {
    S3Exception e = check("GET /logs/k HTTP/1.1\r\nHost: h\r\nX-Big: " + "a".repeat(StrictRequestDecoder.MAX_HEADER_BYTES)
        + "\r\n\r\n");
    assertThat(e.code()).isEqualTo(S3ErrorCode.REQUEST_HEADER_SECTION_TOO_LARGE);
    assertThat(e.details()).containsEntry("MaxSizeAllowed", "65536");
  }

  @Test
  void malformedChunk_arrivesAsAFailedLastContent() {
    EmbeddedChannel channel = new EmbeddedChannel(new StrictRequestDecoder());
    channel.writeInbound(Unpooled.copiedBuffer(
        "PUT /logs/k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
        StandardCharsets.ISO_8859_1));
    HttpRequest request = channel.readInbound();
    assertThat(RequestFraming.check(request)).isNull();
    HttpContent content = channel.readInbound();
    assertThat(content.decoderResult().isFailure()).isTrue();
    ReferenceCountUtil.release(content);
    channel.finishAndReleaseAll();
  }

  /** Decodes {@code raw} and checks the first request head it yields. */
  private static S3Exception check(String raw) {
    EmbeddedChannel channel = new EmbeddedChannel(new StrictRequestDecoder());
    try {
      channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
      Object first = channel.readInbound();
      assertThat(first).as("a request head from %s", raw).isInstanceOf(HttpRequest.class);
      return RequestFraming.check((HttpRequest) first);
    } finally {
      channel.finishAndReleaseAll();
    }
  }
}
