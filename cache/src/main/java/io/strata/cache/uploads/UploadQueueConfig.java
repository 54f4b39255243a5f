package io.strata.cache.uploads;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Settings of the durable upload queue.
 *
 * @param dir the queue's own directory (its database and staged bodies); never wiped
 * @param maxPendingBytes bytes of queued bodies (and open multipart parts) beyond which new writes
 *     are refused
 * @param clock source of time for created/next-attempt stamps
 */
public record UploadQueueConfig(Path dir, long maxPendingBytes, Clock clock) {

  public UploadQueueConfig {
    requireNonNull(dir, "dir");
    requireNonNull(clock, "clock");
    if (maxPendingBytes <= 0) {
      throw new IllegalArgumentException("maxPendingBytes: " + maxPendingBytes + " (expected: > 0)");
    }
  }
}
