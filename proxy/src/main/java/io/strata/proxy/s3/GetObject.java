package io.strata.proxy.s3;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.strata.cache.ObjectVersion;
import io.strata.proxy.parquet.ParquetFooters;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.upstream.VersionChangedException;
import io.strata.cache.uploads.PendingUpload;
import io.strata.cache.uploads.UploadQueue;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  /** Where the bytes of the version being served come from. */
  interface Source {
    /** The {@code x-strata-cache} value for a range ({@code null}: an empty object). */
    String describe(ObjectVersion version, ByteRange range, boolean stale);

    /** Sends headers and the bytes of {@code range}, then finishes the response. */
    void stream(
        ObjectVersion version, ByteRange range, boolean stale, HttpResponseStatus status, HttpHeaders headers,
        NettyResponse response) throws IOException;
  }

  /** GetObject query parameters that override a response header, and the header each sets. */
  private static final Map<String, String> RESPONSE_OVERRIDES =
      Map.of(
          "response-content-type", "Content-Type",
          "response-content-language", "Content-Language",
          "response-expires", "Expires",
          "response-cache-control", "Cache-Control",
          "response-content-disposition", "Content-Disposition",
          "response-content-encoding", "Content-Encoding");

  /** S3's header naming the object's number of parts, sent when a part was asked for. */
  static final String PARTS_COUNT_HEADER = "x-amz-mp-parts-count";

  private final UploadQueue queue;
  private final PendingReads pending;
  private final ParquetFooters footers;
  private final ObjectParts parts;

  GetObject(ObjectMetadata metadata, BlockStreamer streamer, UploadQueue queue, PendingReads pending,
      ParquetFooters footers, ObjectParts parts) {
    this.metadata = metadata;
    this.streamer = streamer;
    this.queue = queue;
    this.pending = pending;
    this.footers = footers;
    this.parts = parts;
  }

  void handle(S3Request request, NettyResponse response) throws IOException {
    int partNumber = ObjectParts.requested(request);
    // Read-your-writes: a queued write is what the client sees, online or offline.
    Optional<PendingUpload> queued = queue.latest(request.bucket(), request.key());
    if (queued.isPresent()) {
      Optional<PendingReads.Opened> opened = pending.open(queued.get());
      if (opened.isPresent()) {
        try (PendingReads.Opened source = opened.get()) {
          serve(request, partNumber, queued.get().partSizes(), new ObjectMetadata.Current(source.version(), false),
              source, response);
        }
        return;
      }
      // delivered and adopted by the cache between the two looks: serve it from there
    }
    ObjectMetadata.Current current = metadata.current(request.bucket(), request.key());
    try {
      serve(request, partNumber, List.of(), current, streamer, response);
      // After the response: a Parquet object's footer is read in the background, once.
      footers.noticed(current.version());
    } catch (VersionChangedException e) {
      if (response.headersSent()) {
        throw new NettyResponse.ClientGoneException(); // no way to report it now but a short body
      }
      // The object was overwritten between our metadata and the fill: serve the new version.
      serve(request, partNumber, List.of(), metadata.refresh(request.bucket(), request.key()), streamer, response);
    }
  }

  /**
   * @param partNumber the part asked for, 0 for none
   * @param partSizes the parts' sizes when the source holds them (a queued multipart upload)
   */
  private void serve(S3Request request, int partNumber, List<Long> partSizes, ObjectMetadata.Current current,
      Source source, NettyResponse response) throws IOException {
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

    ByteRange range;
    HttpResponseStatus status;
    if (partNumber > 0) {
      // A part is answered like a range (206 and Content-Range), even the one part of an object
      // not uploaded in parts, as S3 does.
      ObjectParts.Part part = parts.locate(version, partNumber, partSizes);
      range = part.range();
      status = range == null ? HttpResponseStatus.OK : HttpResponseStatus.PARTIAL_CONTENT;
      if (range != null) {
        headers.set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(version.size()));
      }
      if (part.partsCount() > 0) {
        headers.set(PARTS_COUNT_HEADER, part.partsCount());
      }
      send(request, current, source, response, headers, range, status);
      return;
    }
    String rangeHeader = request.header("range");
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
    send(request, current, source, response, headers, range, status);
  }

  /** Sends the headers and, for GET, {@code range} of the version (none: an empty body). */
  private static void send(S3Request request, ObjectMetadata.Current current, Source source, NettyResponse response,
      HttpHeaders headers, ByteRange range, HttpResponseStatus status) throws IOException {
    ObjectVersion version = current.version();
    headers.set(HttpHeaderNames.CONTENT_LENGTH, range == null ? 0 : range.length());
    if (request.isHead() || range == null) {
      // For HEAD, x-strata-cache tells whether a GET of the same range would be served from disk.
      headers.set(CACHE_HEADER, source.describe(version, range, current.stale()));
      response.sendHeadersOnly(status, headers);
      return;
    }
    source.stream(version, range, current.stale(), status, headers, response);
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
