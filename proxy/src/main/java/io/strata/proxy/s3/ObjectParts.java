package io.strata.proxy.s3;

import io.strata.cache.BlockCache;
import io.strata.cache.ObjectVersion;
import io.strata.cache.meta.PartBoundaries;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.upstream.UpstreamPart;
import io.strata.proxy.upstream.UpstreamStore;
import io.strata.proxy.upstream.UpstreamUnavailableException;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * Resolves GET and HEAD {@code ?partNumber=N} to the bytes of part N, as S3 does: the SDKs'
 * multipart downloads ask for part 1, read {@code x-amz-mp-parts-count}, then fetch the other
 * parts in parallel. An object not uploaded in parts is one part. For a multipart object, the ETag
 * ({@code "…-N"}) gives the number of parts, but only the upstream knows where each begins: its
 * answer is kept with the version, so a part once located is served offline too. Uploads Strata
 * delivered itself are located from the sizes it sent (CacheAdopter). An upstream that does not
 * serve parts (s3proxy answers 501) has every other object served as one part, which the SDKs
 * download in one request.
 */
@Singleton
final class ObjectParts {

  /** S3's limit on part numbers. */
  static final int MAX_PART_NUMBER = 10_000;

  /**
   * Part of an object version.
   *
   * @param range null for the one part of an empty object
   * @param partsCount the object's parts, 0 for an object not uploaded in parts (S3 then sends no
   *     {@code x-amz-mp-parts-count})
   */
  record Part(ByteRange range, int partsCount) {}

  private final BlockCache cache;
  private final UpstreamStore upstream;

  ObjectParts(BlockCache cache, UpstreamStore upstream) {
    this.cache = cache;
    this.upstream = upstream;
  }

  /** The {@code partNumber} parameter, or 0 when the request has none. */
  static int requested(S3Request request) {
    String value = request.param("partNumber");
    if (value == null) {
      return 0;
    }
    int partNumber;
    try {
      partNumber = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      partNumber = -1;
    }
    if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
      throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
          "Part number must be an integer between 1 and " + MAX_PART_NUMBER + ", inclusive")
          .with("ArgumentName", "partNumber")
          .with("ArgumentValue", value);
    }
    if (request.header("range") != null) {
      throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
          "Cannot specify both Range header and partNumber query parameter");
    }
    return partNumber;
  }

  /**
   * @param partSizes the sizes of the parts when Strata holds them itself (a queued multipart
   *     upload), else empty
   */
  Part locate(ObjectVersion version, int partNumber, List<Long> partSizes) {
    if (!partSizes.isEmpty()) {
      return fromSizes(partSizes, partNumber);
    }
    int partsCount = partsInEtag(version.etag());
    if (partsCount == 0) {
      if (partNumber != 1) {
        throw notSatisfiable(partNumber);
      }
      return new Part(version.size() == 0 ? null : ByteRange.whole(version.size()), 0);
    }
    if (partNumber > partsCount) {
      throw notSatisfiable(partNumber);
    }
    PartBoundaries.Part known = cache.partBoundaries().find(version, partNumber)
        .orElseGet(() -> askUpstream(version, partNumber));
    ByteRange range = new ByteRange(known.firstByte(), known.firstByte() + known.length() - 1);
    // A part 1 spanning the whole of a "-N" object is what was kept for an upstream that serves
    // no parts: answer as S3 does for a one-part object, without x-amz-mp-parts-count.
    boolean servedAsOnePart = known.length() == version.size() && partsCount > 1;
    return new Part(range, servedAsOnePart ? 0 : partsCount);
  }

  private PartBoundaries.Part askUpstream(ObjectVersion version, int partNumber) {
    Optional<UpstreamPart> answered;
    try {
      answered = upstream.headPart(version.bucket(), version.key(), version.etag(), partNumber);
    } catch (UpstreamUnavailableException e) {
      throw Offline.unavailable("The upstream is unreachable and where part " + partNumber + " of s3://"
              + version.bucket() + "/" + version.key() + " lies is not cached")
          .with("BucketName", version.bucket())
          .with("Key", version.key())
          .with("PartNumberRequested", Integer.toString(partNumber));
    }
    if (answered.isEmpty() || answered.get().partsCount() == 0) {
      // the upstream keeps no parts: the object is one part
      if (partNumber != 1) {
        throw notSatisfiable(partNumber);
      }
      answered = Optional.of(new UpstreamPart(0, version.size(), 0));
    }
    UpstreamPart answer = answered.get();
    if (answer.length() <= 0 || answer.firstByte() < 0 || answer.firstByte() + answer.length() > version.size()) {
      throw new S3Exception(S3ErrorCode.INTERNAL_ERROR, "The upstream placed part " + partNumber + " at "
          + answer.length() + " bytes from byte " + answer.firstByte() + " of a " + version.size() + "-byte object");
    }
    PartBoundaries.Part part = new PartBoundaries.Part(partNumber, answer.firstByte(), answer.length());
    cache.partBoundaries().record(version, part);
    return part;
  }

  private static Part fromSizes(List<Long> partSizes, int partNumber) {
    if (partNumber > partSizes.size()) {
      throw notSatisfiable(partNumber);
    }
    long first = 0;
    for (int i = 0; i < partNumber - 1; i++) {
      first += partSizes.get(i);
    }
    long length = partSizes.get(partNumber - 1);
    return new Part(length == 0 ? null : new ByteRange(first, first + length - 1), partSizes.size());
  }

  /** N for a multipart ETag ({@code "<hex>-N"}), 0 for any other. */
  static int partsInEtag(String etag) {
    String value = etag.replace("\"", "");
    int dash = value.lastIndexOf('-');
    if (dash < 0 || dash == value.length() - 1) {
      return 0;
    }
    try {
      return Integer.parseInt(value.substring(dash + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static S3Exception notSatisfiable(int partNumber) {
    return new S3Exception(S3ErrorCode.INVALID_PART_NUMBER)
        .with("PartNumberRequested", Integer.toString(partNumber));
  }
}
