package io.strata.cache.uploads;

import java.time.Instant;
import java.util.Map;

/** A multipart upload started through Strata and neither completed nor aborted. */
public record MultipartUpload(
    String uploadId,
    String bucket,
    String key,
    String contentType,
    Map<String, String> userMetadata,
    Instant initiated) {}
