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
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.model.CompletedPart;
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
  /** Buckets the upstream answered for; a HEAD 404 there means the key, not the bucket, is missing. */
  private final Set<String> existingBuckets = ConcurrentHashMap.newKeySet();

  SdkUpstreamStore(S3Client s3, Clock clock) {
    this.s3 = s3;
    this.clock = clock;
  }

  @Override
  public ObjectVersion head(String bucket, String key) {
    try {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
      existingBuckets.add(bucket);
      return version(bucket, key, head);
    } catch (SdkException e) {
      RuntimeException error = translate(e, bucket, key, S3ErrorCode.NO_SUCH_KEY);
      if (error instanceof S3Exception s3e && s3e.code() == S3ErrorCode.NO_SUCH_KEY
          && !existingBuckets.contains(bucket)) {
        // A HEAD 404 has no body to say whether the key or the bucket is missing; S3's GET says
        // NoSuchBucket for the latter, so ask (once per bucket).
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
  public Optional<UpstreamPart> headPart(String bucket, String key, String etag, int partNumber) {
    HeadObjectResponse head;
    try {
      head = s3.headObject(b -> b.bucket(bucket).key(key).ifMatch(etag).partNumber(partNumber));
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 412) {
        throw new VersionChangedException(bucket, key, etag);
      }
      if (e.statusCode() == 501) {
        return Optional.empty();
      }
      if (e.statusCode() == 416) { // a HEAD error has no body to name it
        throw new S3Exception(S3ErrorCode.INVALID_PART_NUMBER).with("PartNumberRequested", Integer.toString(partNumber));
      }
      throw translate(e, bucket, key, S3ErrorCode.NO_SUCH_KEY);
    } catch (SdkException e) {
      throw translate(e, bucket, key, S3ErrorCode.NO_SUCH_KEY);
    }
    if (head.eTag() != null && !head.eTag().equals(etag)) {
      throw new VersionChangedException(bucket, key, etag);
    }
    long length = head.contentLength() == null ? 0 : head.contentLength();
    int partsCount = head.partsCount() == null ? 0 : head.partsCount();
    // The SDK does not model Content-Range on HEAD; S3 sends it for a part ("bytes 0-99/250").
    Optional<String> contentRange = head.sdkHttpResponse().firstMatchingHeader("Content-Range");
    long first = contentRange.map(SdkUpstreamStore::firstByte).orElse(0L);
    return Optional.of(new UpstreamPart(first, length, partsCount));
  }

  /** The first byte of a {@code Content-Range: bytes first-last/size} value. */
  private static long firstByte(String contentRange) {
    String value = contentRange.trim();
    int dash = value.indexOf('-');
    if (value.startsWith("bytes ") && dash > 0) {
      try {
        return Long.parseLong(value.substring("bytes ".length(), dash).trim());
      } catch (NumberFormatException e) {
        // refused below
      }
    }
    throw new S3Exception(S3ErrorCode.INTERNAL_ERROR, "The upstream answered a part with Content-Range " + value);
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
              // S3 always lists an ETag, but not every server does (s3proxy's nio2 stores list
              // some entries without one); "" records it as unknown rather than failing the page.
              .map(o -> new ListedObject(o.key(), o.eTag() == null ? "" : o.eTag(), o.size(),
                  o.lastModified()))
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
      existingBuckets.add(bucket);
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

  @Override
  public String putObject(
      String bucket, String key, Path file, long size, String contentType, Map<String, String> metadata,
      WriteCondition condition) {
    try {
      return s3.putObject(
              b -> {
                b.bucket(bucket).key(key).contentLength(size).contentType(contentType).metadata(metadata);
                if (condition.ifMatch() != null) b.ifMatch(condition.ifMatch());
                if (condition.ifNoneMatchAny()) b.ifNoneMatch("*");
              },
              RequestBody.fromContentProvider(new FileSlice(file, 0, size), size, contentType))
          .eTag();
    } catch (SdkException e) {
      throw translate(e, bucket, key, S3ErrorCode.NO_SUCH_BUCKET);
    }
  }

  @Override
  public String putMultipart(
      String bucket, String key, Path file, List<Long> partSizes, String contentType,
      Map<String, String> metadata) {
    String uploadId;
    try {
      uploadId =
          s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType).metadata(metadata))
              .uploadId();
    } catch (SdkException e) {
      throw translate(e, bucket, key, S3ErrorCode.NO_SUCH_BUCKET);
    }
    try {
      List<CompletedPart> parts = new ArrayList<>();
      long offset = 0;
      for (int i = 0; i < partSizes.size(); i++) {
        int partNumber = i + 1;
        long length = partSizes.get(i);
        String etag =
            s3.uploadPart(
                    b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber).contentLength(length),
                    RequestBody.fromContentProvider(new FileSlice(file, offset, length), length, contentType))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
        offset += length;
      }
      return s3.completeMultipartUpload(
              b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)))
          .eTag();
    } catch (RuntimeException e) {
      try {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
      } catch (SdkException ignored) {
        // the upstream expires abandoned uploads; the write is retried as a whole
      }
      throw e instanceof SdkException sdk ? translate(sdk, bucket, key, S3ErrorCode.NO_SUCH_BUCKET) : (RuntimeException) e;
    }
  }

  @Override
  public void deleteObject(String bucket, String key) {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException e) {
      RuntimeException error = translate(e, bucket, key, S3ErrorCode.NO_SUCH_KEY);
      if (error instanceof S3Exception s3e && s3e.code() == S3ErrorCode.NO_SUCH_KEY) {
        return; // already gone: what a delete wants
      }
      throw error;
    }
  }

  /** Bytes {@code [offset, offset + length)} of a file, re-readable as the SDK needs (signing, retries). */
  private record FileSlice(Path file, long offset, long length) implements ContentStreamProvider {
    @Override
    public InputStream newStream() {
      try {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(offset);
        return new BoundedInputStream(Channels.newInputStream(channel), length);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** At most {@code remaining} bytes of a stream; closes it with itself. */
  private static final class BoundedInputStream extends java.io.FilterInputStream {
    private long remaining;

    BoundedInputStream(InputStream in, long remaining) {
      super(in);
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) return -1;
      int b = in.read();
      if (b >= 0) remaining--;
      return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
      if (remaining <= 0) return -1;
      int n = in.read(buffer, off, (int) Math.min(len, remaining));
      if (n > 0) remaining -= n;
      return n;
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
   * unknown host), no answer in time, or the connection closed with no answer at all. Only these
   * mark the upstream offline; the probe brings it back as soon as it answers.
   */
  private static boolean isUnreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException
          || t instanceof SocketTimeoutException
          || t instanceof InterruptedIOException // Apache's ConnectTimeoutException is one
          // The connection closed before any byte of an answer: what pooled keep-alive
          // connections do when the upstream process stops (the retry meets the next one).
          || t.getClass().getSimpleName().equals("NoHttpResponseException")) {
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
