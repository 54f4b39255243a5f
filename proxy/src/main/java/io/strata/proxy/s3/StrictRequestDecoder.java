package io.strata.proxy.s3;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder with Strata's size limits, refusing a request that carries both
 * {@code Transfer-Encoding: chunked} and {@code Content-Length}.
 *
 * <p>Netty's default drops the Content-Length and reads the body as chunked, which RFC 9112
 * §6.3 allows but also calls a likely request-smuggling attempt: a proxy in front of Strata that
 * framed the same bytes by Content-Length would see a different next request. Refusing it (the
 * decoder marks the request failed, {@link RequestFraming} answers 400 and the connection closes)
 * leaves no two readings.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {

  /** Longest request line, in bytes: a 1,024-byte key fully percent-encoded plus a presigned query fits. */
  static final int MAX_REQUEST_LINE_BYTES = 8192;
  /** Largest header section, in bytes (S3 allows 8 KiB; SDK headers plus 2 KiB of metadata fit with room). */
  static final int MAX_HEADER_BYTES = 64 * 1024;
  /** Largest body piece handed on at once; bounds the memory one socket read can pin. */
  private static final int MAX_CHUNK_BYTES = 64 * 1024;

  StrictRequestDecoder() {
    super(new HttpDecoderConfig()
        .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES)
        .setMaxHeaderSize(MAX_HEADER_BYTES)
        .setMaxChunkSize(MAX_CHUNK_BYTES));
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    throw new ConflictingFramingException();
  }

  /** The request declared its body length twice, as Content-Length and as chunked. */
  static final class ConflictingFramingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    ConflictingFramingException() {
      super("both Content-Length and Transfer-Encoding: chunked");
    }
  }
}
