package io.strata.proxy.upstream;

import io.strata.cache.ListedObject;
import io.strata.cache.ObjectVersion;
import io.strata.proxy.s3.xml.BucketEntry;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * {@link UpstreamStore} over the AWS SDK v2 sync client: requests are signed with the upstream's
 * own credentials, whatever the client sent. The client is built by {@code UpstreamFactory} with a
 * single retry (see there) so that an outage is noticed after one connect attempt, not after many.
 */
final class SdkUpstreamStore implements UpstreamStore {

  private final S3Client s3;
  private final Clock clock;

  SdkUpstreamStore(S3Client s3, Clock clock) {
    this.s3 = s3;
    this.clock = clock;
  }

  @Override
  public ObjectVersion head(String bucket, String key) {
    try {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
      return version(bucket, key, head);
    } catch (SdkException e) {
      RuntimeException error = translate(e, bucket, key, S3ErrorCode.NO_SUCH_KEY);
      if (error instanceof S3Exception s3e && s3e.code() == S3ErrorCode.NO_SUCH_KEY) {
        // A HEAD 404 has no body to say whether the key or the bucket is missing; S3's GET says
        // NoSuchBucket for the latter, so ask.
        headBucket(bucket);
      }
      throw error;
    }
  }

  @Override
  public Optional<ObjectVersion> revalidate(String bucket, String key, String etag) {
    try {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key).ifNoneMatch(etag));
      return Optional.of(version(bucket, key, head));
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 304) {
        return Optional.empty();
      }
      throw translate(e, bucket, key, S3ErrorCode.NO_SUCH_KEY);
    } catch (SdkException e) {
      throw translate(e, bucket, key, S3ErrorCode.NO_SUCH_KEY);
    }
  }

  @Override
  public InputStream getRange(String bucket, String key, String etag, long first, long last) {
    ResponseInputStream<GetObjectResponse> body;
    try {
      body =
          s3.getObject(
              b -> b.bucket(bucket).key(key).ifMatch(etag).range("bytes=" + first + "-" + last));
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 412) {
        throw new VersionChangedException(bucket, key, etag);
      }
      throw translate(e, bucket, key, S3ErrorCode.NO_SUCH_KEY);
    } catch (SdkException e) {
      throw translate(e, bucket, key, S3ErrorCode.NO_SUCH_KEY);
    }
    GetObjectResponse response = body.response();
    long expected = last - first + 1;
    // An upstream that ignores If-Match or Range must not slip other bytes into a block.
    if (response.eTag() != null && !response.eTag().equals(etag)) {
      closeQuietly(body);
      throw new VersionChangedException(bucket, key, etag);
    }
    if (response.contentLength() == null || response.contentLength() != expected) {
      closeQuietly(body);
      throw new S3Exception(
          S3ErrorCode.INTERNAL_ERROR,
          "The upstream answered bytes " + first + "-" + last + " with "
              + response.contentLength() + " bytes");
    }
    return body;
  }

  @Override
  public UpstreamListing list(ListRequest request) {
    try {
      ListObjectsV2Response page =
          s3.listObjectsV2(
              b -> {
                b.bucket(request.bucket()).encodingType(EncodingType.URL).maxKeys(request.maxKeys());
                if (request.prefix() != null) b.prefix(request.prefix());
                if (request.delimiter() != null) b.delimiter(request.delimiter());
                if (request.startAfter() != null) b.startAfter(request.startAfter());
                if (request.continuationToken() != null) b.continuationToken(request.continuationToken());
              });
      List<ListedObject> objects =
          page.contents().stream()
              .map(o -> new ListedObject(o.key(), o.eTag(), o.size(), o.lastModified()))
              .toList();
      List<String> prefixes = page.commonPrefixes().stream().map(CommonPrefix::prefix).toList();
      return new UpstreamListing(
          objects, prefixes, Boolean.TRUE.equals(page.isTruncated()), page.nextContinuationToken());
    } catch (SdkException e) {
      throw translate(e, request.bucket(), null, S3ErrorCode.NO_SUCH_BUCKET);
    }
  }

  @Override
  public List<BucketEntry> listBuckets() {
    try {
      return s3.listBuckets().buckets().stream()
          .map(b -> new BucketEntry(b.name(), b.creationDate()))
          .toList();
    } catch (SdkException e) {
      throw translate(e, null, null, S3ErrorCode.NO_SUCH_BUCKET);
    }
  }

  @Override
  public void headBucket(String bucket) {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (SdkException e) {
      throw translate(e, bucket, null, S3ErrorCode.NO_SUCH_BUCKET);
    }
  }

  @Override
  public String bucketLocation(String bucket) {
    try {
      String location = s3.getBucketLocation(b -> b.bucket(bucket)).locationConstraintAsString();
      return location == null || "null".equals(location) ? "" : location;
    } catch (SdkException e) {
      throw translate(e, bucket, null, S3ErrorCode.NO_SUCH_BUCKET);
    }
  }

  private ObjectVersion version(String bucket, String key, HeadObjectResponse head) {
    return new ObjectVersion(
        bucket,
        key,
        head.eTag(),
        head.contentLength(),
        head.lastModified(),
        head.contentType(),
        head.metadata(),
        clock.instant());
  }

  /**
   * An answered S3 error keeps its code (404 stays NoSuchKey); a request that got no answer means
   * the upstream is unreachable.
   */
  static RuntimeException translate(
      SdkException e, String bucket, String key, S3ErrorCode notFound) {
    if (e instanceof software.amazon.awssdk.services.s3.model.S3Exception s3e) {
      String code = s3e.awsErrorDetails() == null ? null : s3e.awsErrorDetails().errorCode();
      S3ErrorCode mapped =
          S3ErrorCode.fromCode(code).orElseGet(() -> byStatus(s3e.statusCode(), notFound));
      String message = s3e.awsErrorDetails() == null ? null : s3e.awsErrorDetails().errorMessage();
      S3Exception error =
          message == null || message.isBlank() ? new S3Exception(mapped) : new S3Exception(mapped, message);
      if (bucket != null) error.with("BucketName", bucket);
      if (key != null) error.with("Key", key);
      return error;
    }
    if (e instanceof SdkClientException && isUnreachable(e)) {
      return new UpstreamUnavailableException("the upstream is unreachable: " + e.getMessage(), e);
    }
    // Answered, but broken (a reset or garbled response after connecting): a failure of this
    // request, not proof that the upstream is gone. The client may retry.
    return new S3Exception(S3ErrorCode.INTERNAL_ERROR, "The upstream request failed: " + e.getMessage());
  }

  private static S3ErrorCode byStatus(int status, S3ErrorCode notFound) {
    return switch (status) {
      case 404 -> notFound;
      case 403 -> S3ErrorCode.ACCESS_DENIED;
      case 412 -> S3ErrorCode.PRECONDITION_FAILED;
      case 416 -> S3ErrorCode.INVALID_RANGE;
      case 503 -> S3ErrorCode.SLOW_DOWN;
      default -> status >= 500 ? S3ErrorCode.INTERNAL_ERROR : S3ErrorCode.INVALID_REQUEST;
    };
  }

  /**
   * Whether the request failed to reach the upstream at all: no connection (refused, no route,
   * unknown host) or no answer in time. Only these mark the upstream offline.
   */
  private static boolean isUnreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException
          || t instanceof SocketTimeoutException
          || t instanceof InterruptedIOException) { // Apache's ConnectTimeoutException is one
        return true;
      }
    }
    // The SDK reports its own attempt timeouts without an I/O exception beneath them.
    return e.getClass().getSimpleName().contains("Timeout");
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // the response is abandoned either way
    }
  }
}
