package io.strata.proxy.s3;

import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;

/** The errors and headers that tell a client an answer came (or could not come) while offline. */
final class Offline {

  /** Marks responses built from what Strata holds because the upstream is unreachable. */
  static final String HEADER = "x-strata-offline";

  private Offline() {}

  /** 503 ServiceUnavailable for a request that needs the upstream while it is unreachable. */
  static S3Exception unavailable(String message) {
    return new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, message).withHeader(HEADER, "true");
  }

  /** 503 naming exactly the bytes a read needed that are not cached. */
  static S3Exception notCached(String bucket, String key, long first, long last) {
    return unavailable(
            "The upstream is unreachable and bytes " + first + "-" + last + " of s3://" + bucket + "/" + key
                + " are not cached")
        .with("BucketName", bucket)
        .with("Key", key)
        .with("RangeRequested", "bytes=" + first + "-" + last);
  }
}
