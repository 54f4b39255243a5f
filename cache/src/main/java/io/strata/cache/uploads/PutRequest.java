package io.strata.cache.uploads;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A PUT to queue.
 *
 * @param baseEtag the upstream version the client's write replaces as far as Strata knows, or null
 *     when it knows of none (the write is then a {@link UploadOperation#CREATE})
 */
public record PutRequest(
    String bucket,
    String key,
    StagedFile body,
    String etag,
    String checksumAlgorithm,
    String checksumValue,
    String contentType,
    Map<String, String> userMetadata,
    List<Long> partSizes,
    String baseEtag) {

  public PutRequest {
    requireNonNull(bucket, "bucket");
    requireNonNull(key, "key");
    requireNonNull(body, "body");
    requireNonNull(etag, "etag");
    userMetadata = userMetadata == null ? Map.of() : Map.copyOf(userMetadata);
    partSizes = partSizes == null ? List.of() : List.copyOf(partSizes);
  }
}
