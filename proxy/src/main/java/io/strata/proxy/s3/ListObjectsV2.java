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
 * ListObjectsV2 (and v1): passed through to the upstream while it is online (and remembered),
 * answered from what Strata has seen of the bucket while it is not, marked
 * {@code x-strata-offline: true}; queued writes are laid over either.
 */
@Singleton
final class ListObjectsV2 {

  /** S3 never returns more than 1,000 keys per page. */
  static final int MAX_KEYS = 1000;

  private final UpstreamStore upstream;
  private final BlockCache cache;
  private final OfflineListing offline;
  private final ListingOverlay overlay;

  ListObjectsV2(UpstreamStore upstream, BlockCache cache, OfflineListing offline, ListingOverlay overlay) {
    this.upstream = upstream;
    this.cache = cache;
    this.offline = offline;
    this.overlay = overlay;
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
      return of(request, /* v1= */ false);
    }

    /** ListObjects v1 names its start key {@code marker} and has no continuation tokens. */
    static Params of(S3Request request, boolean v1) {
      String encoding = request.param("encoding-type");
      // S3 accepts the value in any case (and echoes it as sent).
      if (encoding != null && !"url".equalsIgnoreCase(encoding)) {
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request")
            .with("ArgumentName", "encoding-type")
            .with("ArgumentValue", encoding);
      }
      String delimiter = request.param("delimiter");
      String token = v1 ? null : request.param("continuation-token");
      if (token != null && token.isEmpty()) {
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The continuation token provided is incorrect")
            .with("ArgumentName", "continuation-token");
      }
      return new Params(
          request.bucket(),
          nullToEmpty(request.param("prefix")),
          delimiter == null || delimiter.isEmpty() ? null : delimiter,
          maxKeys(request.param("max-keys")),
          emptyToNull(request.param(v1 ? "marker" : "start-after")),
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

  /**
   * One page with queued writes laid over it.
   *
   * @param upTo the last key or common prefix the page covers (null: to the end)
   * @param upstreamNext the upstream's continuation token, when the page came from it
   */
  private record Page(ListObjectsV2Result result, String upTo, String upstreamNext, boolean offline) {}

  void handle(S3Request request, NettyResponse response) {
    Params params = Params.of(request);
    ListTokens.Position position =
        params.continuationToken() == null ? null : ListTokens.decode(params.continuationToken());
    Page page = page(params, position);
    ListObjectsV2Result r = page.result();
    String next = r.truncated() ? ListTokens.encode(page.upTo(), page.upstreamNext()) : null;
    ListObjectsV2Result answer =
        new ListObjectsV2Result(
            r.bucket(), r.prefix(), r.delimiter(), r.maxKeys(), r.startAfter(), r.continuationToken(), next,
            r.truncated(), r.encodingType(), r.contents(), r.commonPrefixes());
    send(response, S3Xml.listObjectsV2(answer), page.offline());
  }

  /** ListObjects (v1): the same pages, resumed by {@code marker} (a key) instead of a token. */
  void handleV1(S3Request request, NettyResponse response) {
    Params params = Params.of(request, /* v1= */ true);
    Page page = page(params, null);
    send(response, S3Xml.listObjectsV1(page.result(), params.startAfter(), page.upTo()), page.offline());
  }

  private Page page(Params params, ListTokens.Position position) {
    // the page covers keys after this one
    String after = position != null ? position.lastKey() : params.startAfter();
    ListObjectsV2Result result;
    String upstreamNext = null;
    boolean answeredOffline = false;
    try {
      UpstreamListing listing = online(params, position);
      upstreamNext = listing.nextContinuationToken();
      result = result(params, listing.objects().stream().map(ListObjectsV2::entry).toList(),
          listing.commonPrefixes(), listing.truncated());
    } catch (UpstreamUnavailableException e) {
      result = offline.list(params, after);
      answeredOffline = true;
    }
    String upTo = result.truncated() ? lastEntry(result) : null;
    return new Page(overlay.apply(result, after, upTo), upTo, upstreamNext, answeredOffline);
  }

  private static void send(NettyResponse response, byte[] xml, boolean answeredOffline) {
    response.sendFull(
        HttpResponseStatus.OK, "application/xml", xml, answeredOffline ? Map.of(Offline.HEADER, "true") : Map.of(),
        false);
  }

  private UpstreamListing online(Params p, ListTokens.Position position) {
    // Resume at the upstream's own token when the previous page came from it; after an offline
    // page, resume after its last key instead.
    String token = position == null ? null : position.upstreamToken();
    String startAfter = position == null ? p.startAfter() : token == null ? position.lastKey() : p.startAfter();
    UpstreamListing listing =
        upstream.list(
            new UpstreamStore.ListRequest(p.bucket(), p.prefix(), p.delimiter(), p.maxKeys(), startAfter, token));
    // Only a single-page, undelimited listing from the start proves what no longer exists.
    boolean complete =
        !listing.truncated() && p.maxKeys() > 0 && p.delimiter() == null && startAfter == null && token == null;
    cache.recordListing(p.bucket(), p.prefix(), listing.objects(), complete);
    return listing;
  }

  static ListObjectsV2Result result(Params p, List<ObjectEntry> contents, List<String> prefixes, boolean truncated) {
    return new ListObjectsV2Result(
        p.bucket(), p.prefix(), p.delimiter(), p.maxKeys(), p.startAfter(), p.continuationToken(), null,
        truncated, p.encodingType(), contents, prefixes);
  }

  /** The greatest key or common prefix of a page: where the next page starts. */
  private static String lastEntry(ListObjectsV2Result page) {
    String last = null;
    for (ObjectEntry e : page.contents()) {
      if (last == null || ListingOverlay.UTF8_ORDER.compare(e.key(), last) > 0) last = e.key();
    }
    for (String prefix : page.commonPrefixes()) {
      if (last == null || ListingOverlay.UTF8_ORDER.compare(prefix, last) > 0) last = prefix;
    }
    return last == null ? "" : last;
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
