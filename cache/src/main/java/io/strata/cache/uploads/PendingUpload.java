package io.strata.cache.uploads;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One acknowledged write waiting to reach the upstream.
 *
 * @param id queue order: per key, writes reach the upstream in increasing id
 * @param dataFile the body for PUTs; null for DELETE
 * @param etag the ETag acknowledged to the client (quoted; hex MD5, or md5-of-part-md5s-N); null for DELETE
 * @param checksumAlgorithm e.g. "CRC32C" when the client sent an x-amz-checksum, else null
 * @param partSizes sizes of the client's multipart parts, in order (empty for a single PUT): the
 *     flush repeats them so the upstream computes the same multipart ETag
 * @param baseEtag the upstream version the write was based on; null when none was known
 * @param conflictEtag for {@link UploadState#CONFLICT}: the upstream's ETag found instead of
 *     {@code baseEtag} (null if the key was found deleted)
 */
public record PendingUpload(
    long id,
    String bucket,
    String key,
    UploadOperation operation,
    Path dataFile,
    long size,
    String etag,
    String checksumAlgorithm,
    String checksumValue,
    String contentType,
    Map<String, String> userMetadata,
    List<Long> partSizes,
    String baseEtag,
    UploadState state,
    Instant createdAt,
    int retryCount,
    Instant nextAttemptAt,
    String lastError,
    String conflictEtag) {

  public boolean isDelete() {
    return operation == UploadOperation.DELETE;
  }
}
