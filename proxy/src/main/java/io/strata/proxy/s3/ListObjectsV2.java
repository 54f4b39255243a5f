package io.strata.proxy.s3;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.strata.cache.BlockCache;
import io.strata.cache.ListedObject;
import io.strata.proxy.s3.xml.ListObjectsV2Result;
import io.strata.proxy.s3.xml.ObjectEntry;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.s3.xml.S3Xml;
import io.strata.proxy.upstream.UpstreamListing;
import io.strata.proxy.upstream.UpstreamStore;
import io.strata.proxy.upstream.UpstreamUnavailableException;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * ListObjectsV2: passed through to the upstream while it is online (and remembered), answered from
 * what Strata has seen of the bucket while it is not, marked {@code x-strata-offline: true}.
 */
@Singleton
final class ListObjectsV2 {

  /** S3 never returns more than 1,000 keys per page. */
  static final int MAX_KEYS = 1000;

  private final UpstreamStore upstream;
  private final BlockCache cache;
  private final OfflineListing offline;

  ListObjectsV2(UpstreamStore upstream, BlockCache cache, OfflineListing offline) {
    this.upstream = upstream;
    this.cache = cache;
    this.offline = offline;
  }

  /** The listing parameters a client sent, validated as S3 validates them. */
  record Params(
      String bucket,
      String prefix,
      String delimiter,
      int maxKeys,
      String startAfter,
      String continuationToken,
      String encodingType) {

    static Params of(S3Request request) {
      String encoding = request.param("encoding-type");
      // S3 accepts the value in any case (and echoes it as sent).
      if (encoding != null && !"url".equalsIgnoreCase(encoding)) {
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request")
            .with("ArgumentName", "encoding-type")
            .with("ArgumentValue", encoding);
      }
      String delimiter = request.param("delimiter");
      String token = request.param("continuation-token");
      if (token != null && token.isEmpty()) {
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The continuation token provided is incorrect")
            .with("ArgumentName", "continuation-token");
      }
      return new Params(
          request.bucket(),
          nullToEmpty(request.param("prefix")),
          delimiter == null || delimiter.isEmpty() ? null : delimiter,
          maxKeys(request.param("max-keys")),
          emptyToNull(request.param("start-after")),
          token,
          encoding);
    }

    private static int maxKeys(String value) {
      if (value == null) {
        return MAX_KEYS;
      }
      try {
        int n = Integer.parseInt(value.trim());
        if (n >= 0) {
          return Math.min(n, MAX_KEYS);
        }
      } catch (NumberFormatException e) {
        // fall through to the error S3 gives
      }
      throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Provided max-keys not an integer or within integer range")
          .with("ArgumentName", "max-keys")
          .with("ArgumentValue", value);
    }
  }

  void handle(S3Request request, NettyResponse response) {
    Params params = Params.of(request);
    ListObjectsV2Result result;
    boolean answeredOffline = false;
    try {
      result = online(params);
    } catch (UpstreamUnavailableException e) {
      result = offline.list(params);
      answeredOffline = true;
    }
    response.sendFull(
        HttpResponseStatus.OK,
        "application/xml",
        S3Xml.listObjectsV2(result),
        answeredOffline ? Map.of(Offline.HEADER, "true") : Map.of(),
        false);
  }

  private ListObjectsV2Result online(Params p) {
    UpstreamListing page =
        upstream.list(
            new UpstreamStore.ListRequest(
                p.bucket(), p.prefix(), p.delimiter(), p.maxKeys(), p.startAfter(), p.continuationToken()));
    // Only a single-page, undelimited listing from the start proves what no longer exists.
    boolean complete =
        !page.truncated() && p.maxKeys() > 0 && p.delimiter() == null && p.startAfter() == null
            && p.continuationToken() == null;
    cache.recordListing(p.bucket(), p.prefix(), page.objects(), complete);
    List<ObjectEntry> contents = page.objects().stream().map(ListObjectsV2::entry).toList();
    return new ListObjectsV2Result(
        p.bucket(),
        p.prefix(),
        p.delimiter(),
        p.maxKeys(),
        p.startAfter(),
        p.continuationToken(),
        page.truncated() ? page.nextContinuationToken() : null,
        page.truncated(),
        p.encodingType(),
        contents,
        page.commonPrefixes());
  }

  static ObjectEntry entry(ListedObject o) {
    return new ObjectEntry(o.key(), o.lastModified(), o.etag(), o.size(), "STANDARD");
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
