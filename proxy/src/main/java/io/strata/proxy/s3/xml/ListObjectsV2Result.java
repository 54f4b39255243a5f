package io.strata.proxy.s3.xml;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a ListObjectsV2 response says. Nullable: {@code prefix}, {@code delimiter},
 * {@code startAfter}, {@code continuationToken}, {@code nextContinuationToken},
 * {@code encodingType}. Values are the raw (decoded) strings; {@link S3Xml} encodes them when
 * {@code encodingType} is {@code url}.
 *
 * @param encodingType {@code "url"} or null; S3 takes it case-insensitively and echoes it as sent
 */
public record ListObjectsV2Result(String bucket, String prefix, String delimiter, int maxKeys,
    String startAfter, String continuationToken, String nextContinuationToken, boolean truncated,
    String encodingType, List<ObjectEntry> contents, List<String> commonPrefixes) {

  public ListObjectsV2Result {
    requireNonNull(bucket, "bucket");
    if (maxKeys < 0) {
      throw new IllegalArgumentException("maxKeys: " + maxKeys + " (expected: >= 0)");
    }
    if (encodingType != null && !encodingType.equalsIgnoreCase("url")) {
      // S3 answers InvalidArgument before listing; the handler must have done the same.
      throw new IllegalArgumentException("encodingType: " + encodingType + " (expected: url)");
    }
    contents = contents == null ? List.of() : List.copyOf(contents);
    commonPrefixes = commonPrefixes == null ? List.of() : List.copyOf(commonPrefixes);
  }

  /** {@code <KeyCount>}: objects plus common prefixes, as AWS counts it. */
  public int keyCount() {
    return contents.size() + commonPrefixes.size();
  }

  boolean urlEncoded() {
    return encodingType != null;
  }
}
