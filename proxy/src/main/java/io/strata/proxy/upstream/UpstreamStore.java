package io.strata.proxy.upstream;

import io.strata.cache.ObjectVersion;
import io.strata.proxy.s3.xml.BucketEntry;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The real S3 service behind Strata. Every method is blocking and throws
 *
 * <ul>
 *   <li>{@link io.strata.proxy.s3.xml.S3Exception} for an S3 error the upstream answered (404
 *       stays {@code NoSuchKey}), to be passed to the client as it is;
 *   <li>{@link UpstreamUnavailableException} when the upstream could not be reached at all.
 * </ul>
 */
public interface UpstreamStore {

  /** The current version of an object (HEAD). */
  ObjectVersion head(String bucket, String key);

  /**
   * Revalidates a held version with {@code If-None-Match}: empty when it is still current,
   * otherwise the new version.
   */
  Optional<ObjectVersion> revalidate(String bucket, String key, String etag);

  /**
   * Opens bytes {@code [first, last]} of exactly the version {@code etag} ({@code If-Match}); a
   * changed object fails with {@link VersionChangedException} rather than mixing versions. The
   * caller must close the stream.
   */
  InputStream getRange(String bucket, String key, String etag, long first, long last);

  /** One page of ListObjectsV2, parameters passed through as the client gave them. */
  UpstreamListing list(ListRequest request);

  List<BucketEntry> listBuckets();

  /** Fails with {@code NoSuchBucket} or {@code AccessDenied} unless the bucket is reachable. */
  void headBucket(String bucket);

  /** The region of a bucket, empty for us-east-1. */
  String bucketLocation(String bucket);

  /**
   * ListObjectsV2 parameters.
   *
   * @param continuationToken opaque token from a previous page, or null
   */
  record ListRequest(
      String bucket,
      String prefix,
      String delimiter,
      int maxKeys,
      String startAfter,
      String continuationToken) {}
}
