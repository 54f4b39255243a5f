package io.strata.proxy.s3;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.strata.cache.BlockCache;
import io.strata.proxy.config.BucketAllowList;
import io.strata.proxy.config.UpstreamConfig;
import io.strata.proxy.s3.xml.BucketEntry;
import io.strata.proxy.s3.xml.S3Xml;
import io.strata.proxy.upstream.UpstreamStore;
import io.strata.proxy.upstream.UpstreamUnavailableException;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** ListBuckets, HeadBucket and GetBucketLocation, with offline answers from what Strata has seen. */
@Singleton
final class BucketOperations {

  private final UpstreamStore upstream;
  private final BlockCache cache;
  private final String region;
  private final BucketAllowList allowed;

  BucketOperations(UpstreamStore upstream, BlockCache cache, UpstreamConfig config,
      BucketAllowList allowed) {
    this.upstream = upstream;
    this.cache = cache;
    this.region = config.region();
    this.allowed = allowed;
  }

  void listBuckets(S3Request request, NettyResponse response) {
    List<BucketEntry> buckets;
    Map<String, String> headers = Map.of();
    try {
      buckets = upstream.listBuckets();
    } catch (UpstreamUnavailableException e) {
      // Creation dates are not known offline; the epoch marks them as unknown.
      buckets = cache.knownBuckets().stream().map(b -> new BucketEntry(b, Instant.EPOCH)).toList();
      headers = Map.of(Offline.HEADER, "true");
    }
    // Buckets Strata does not serve are not even named.
    buckets = buckets.stream().filter(b -> allowed.allows(b.name())).toList();
    response.sendFull(HttpResponseStatus.OK, "application/xml", S3Xml.listBuckets(buckets, "strata", "strata"), headers, false);
  }

  void headBucket(S3Request request, NettyResponse response) {
    Map<String, String> headers = Map.of("x-amz-bucket-region", region);
    try {
      upstream.headBucket(request.bucket());
    } catch (UpstreamUnavailableException e) {
      requireKnown(request.bucket(), e);
      headers = Map.of("x-amz-bucket-region", region, Offline.HEADER, "true");
    }
    response.sendFull(HttpResponseStatus.OK, "application/xml", new byte[0], headers, true);
  }

  void location(S3Request request, NettyResponse response) {
    String location;
    Map<String, String> headers = Map.of();
    try {
      location = upstream.bucketLocation(request.bucket());
    } catch (UpstreamUnavailableException e) {
      requireKnown(request.bucket(), e);
      location = "us-east-1".equals(region) ? "" : region;
      headers = Map.of(Offline.HEADER, "true");
    }
    response.sendFull(HttpResponseStatus.OK, "application/xml", S3Xml.bucketLocation(location), headers, false);
  }

  private void requireKnown(String bucket, UpstreamUnavailableException e) {
    if (!cache.knownBuckets().contains(bucket)) {
      throw Offline.unavailable(
              "The upstream is unreachable and bucket " + bucket + " has never been read through Strata")
          .with("BucketName", bucket);
    }
  }
}
