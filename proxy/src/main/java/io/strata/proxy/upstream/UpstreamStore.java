package io.strata.proxy.upstream;

import io.strata.cache.ObjectVersion;
import io.strata.proxy.s3.xml.BucketEntry;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

  /**
   * Where part {@code partNumber} of exactly the version {@code etag} lies ({@code HEAD
   * ?partNumber=}, {@code If-Match}). Fails with {@link VersionChangedException} for a changed
   * object and with {@code InvalidPartNumber} for a part the object does not have.
   *
   * @return empty when the upstream does not serve parts (501 NotImplemented, as s3proxy answers)
   */
  Optional<UpstreamPart> headPart(String bucket, String key, String etag, int partNumber);

  /** One page of ListObjectsV2, parameters passed through as the client gave them. */
  UpstreamListing list(ListRequest request);

  List<BucketEntry> listBuckets();

  /** Fails with {@code NoSuchBucket} or {@code AccessDenied} unless the bucket is reachable. */
  void headBucket(String bucket);

  /** The region of a bucket, empty for us-east-1. */
  String bucketLocation(String bucket);

  /**
   * Writes a file as one PUT. Fails with {@code PreconditionFailed} when {@code condition} does
   * not hold upstream.
   *
   * @return the upstream's ETag of the new version
   */
  String putObject(
      String bucket, String key, Path file, long size, String contentType, Map<String, String> metadata,
      WriteCondition condition);

  /**
   * Writes a file as a multipart upload whose parts have exactly {@code partSizes}, so the
   * upstream computes the multipart ETag the client was given. Parts are read from the file one
   * at a time (bounded memory). An upload that fails is aborted.
   *
   * @return the upstream's ETag of the new version
   */
  String putMultipart(
      String bucket, String key, Path file, List<Long> partSizes, String contentType,
      Map<String, String> metadata);

  /** Deletes a key; deleting a missing key succeeds, as in S3. */
  void deleteObject(String bucket, String key);

  /**
   * A condition on a write: {@code If-Match: etag}, {@code If-None-Match: *} (the key must not
   * exist), or none.
   */
  record WriteCondition(String ifMatch, boolean ifNoneMatchAny) {
    public static final WriteCondition NONE = new WriteCondition(null, false);

    public static WriteCondition matching(String etag) {
      return etag == null ? new WriteCondition(null, true) : new WriteCondition(etag, false);
    }
  }

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
