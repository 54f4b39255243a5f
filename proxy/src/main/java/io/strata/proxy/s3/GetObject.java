package io.strata.proxy.s3;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.strata.cache.ObjectVersion;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.upstream.VersionChangedException;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * GET and HEAD object: find the version to serve, evaluate the conditional headers, resolve the
 * Range exactly as S3 does, then send headers and (for GET) the bytes from the block cache,
 * filling its gaps from the upstream.
 */
@Singleton
final class GetObject {

  /** Tells the client where the bytes came from: {@code hit}, {@code miss} or {@code partial}, then {@code , stale}. */
  static final String CACHE_HEADER = "x-strata-cache";

  private final ObjectMetadata metadata;
  private final BlockStreamer streamer;

  GetObject(ObjectMetadata metadata, BlockStreamer streamer) {
    this.metadata = metadata;
    this.streamer = streamer;
  }

  void handle(S3Request request, NettyResponse response) throws IOException {
    ObjectMetadata.Current current = metadata.current(request.bucket(), request.key());
    try {
      serve(request, current, response);
    } catch (VersionChangedException e) {
      if (response.headersSent()) {
        throw new NettyResponse.ClientGoneException(); // no way to report it now but a short body
      }
      // The object was overwritten between our metadata and the fill: serve the new version.
      serve(request, metadata.refresh(request.bucket(), request.key()), response);
    }
  }

  private void serve(S3Request request, ObjectMetadata.Current current, NettyResponse response)
      throws IOException {
    ObjectVersion version = current.version();
    HttpHeaders headers = versionHeaders(version);
    overrideHeaders(request, headers);
    if (current.stale()) {
      headers.set(Offline.HEADER, "true");
    }
    switch (Conditionals.evaluate(
        request.header("if-match"),
        request.header("if-none-match"),
        request.header("if-modified-since"),
        request.header("if-unmodified-since"),
        version.etag(),
        version.lastModified())) {
      case NOT_MODIFIED -> {
        headers.remove(HttpHeaderNames.CONTENT_TYPE);
        response.sendHeadersOnly(HttpResponseStatus.NOT_MODIFIED, headers);
        return;
      }
      case PRECONDITION_FAILED -> throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED)
          .with("Condition", request.header("if-match") != null ? "If-Match" : "If-Unmodified-Since");
      case PROCEED -> {}
    }

    String rangeHeader = request.header("range");
    ByteRange range;
    HttpResponseStatus status;
    RangeResolver.Resolution resolution = RangeResolver.resolve(rangeHeader, version.size());
    if (resolution instanceof RangeResolver.Unsatisfiable) {
      throw new S3Exception(S3ErrorCode.INVALID_RANGE)
          .with("RangeRequested", rangeHeader)
          .with("ActualObjectSize", Long.toString(version.size()))
          .withHeader("Content-Range", "bytes */" + version.size());
    }
    if (resolution instanceof RangeResolver.Partial partial) {
      range = partial.range();
      status = HttpResponseStatus.PARTIAL_CONTENT;
      headers.set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(version.size()));
    } else {
      range = version.size() == 0 ? null : ByteRange.whole(version.size());
      status = HttpResponseStatus.OK;
    }
    headers.set(HttpHeaderNames.CONTENT_LENGTH, range == null ? 0 : range.length());

    if (request.isHead() || range == null) {
      // For HEAD, x-strata-cache tells whether a GET of the same range would be served from disk.
      BlockStreamer.Presence presence =
          range == null ? new BlockStreamer.Presence(0, 0, -1, -1) : streamer.presence(version, range);
      headers.set(CACHE_HEADER, presence.describe(current.stale()));
      response.sendHeadersOnly(status, headers);
      return;
    }
    streamer.stream(version, range, current.stale(), status, headers, response);
  }

  /**
   * GetObject's {@code response-*} query parameters replace the matching response headers (AWS
   * GetObject, "Overriding response header values").
   */
  private static void overrideHeaders(S3Request request, HttpHeaders headers) {
    RESPONSE_OVERRIDES.forEach(
        (param, header) -> {
          String value = request.param(param);
          if (value != null) {
            headers.set(header, value);
          }
        });
  }

  private static final java.util.Map<String, String> RESPONSE_OVERRIDES =
      java.util.Map.of(
          "response-content-type", "Content-Type",
          "response-content-language", "Content-Language",
          "response-expires", "Expires",
          "response-cache-control", "Cache-Control",
          "response-content-disposition", "Content-Disposition",
          "response-content-encoding", "Content-Encoding");

  /** The headers S3 sends for an object version, whatever the range. */
  static HttpHeaders versionHeaders(ObjectVersion version) {
    HttpHeaders h = new DefaultHttpHeaders();
    h.set(HttpHeaderNames.ETAG, version.etag());
    h.set(HttpHeaderNames.LAST_MODIFIED, HttpDates.format(version.lastModified()));
    h.set(HttpHeaderNames.CONTENT_TYPE, version.contentType());
    h.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
    version.userMetadata().forEach((name, value) -> h.set("x-amz-meta-" + name, value));
    return h;
  }
}
