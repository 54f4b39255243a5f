package io.strata.cache.uploads;

import java.nio.file.Path;
import java.time.Instant;

/** One stored part of a multipart upload; {@code etag} is the quoted hex MD5 of its bytes. */
public record UploadedPart(int partNumber, Path file, long size, String etag, Instant lastModified) {}
