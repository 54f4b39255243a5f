package io.strata.proxy.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code strata.uploads.*}: how writes are acknowledged and delivered upstream.
 *
 * @param mode {@code write-back}: acknowledge once durable locally, deliver in the background;
 *     {@code write-through}: while online, acknowledge only after the upstream accepted the write
 *     (offline it falls back to write-back)
 * @param maxPendingBytes queued bytes beyond which new writes get 503 SlowDown
 * @param retryInterval how often the queue is scanned even without a reason to (a safety net)
 * @param maxBackoff the longest a failed write waits before its next attempt
 * @param flushThreads writes sent upstream in parallel (different keys only)
 * @param multipartThreshold single PUTs larger than this are delivered as multipart uploads, so a
 *     failed part is retried rather than the whole body
 * @param multipartPartSize part size of those multipart deliveries
 */
@ConfigurationProperties("strata.uploads")
public record UploadSettings(
    @Bindable(defaultValue = "write-back") String mode,
    @Bindable(defaultValue = "5GiB") String maxPendingBytes,
    @Bindable(defaultValue = "30s") String retryInterval,
    @Bindable(defaultValue = "5m") String maxBackoff,
    @Bindable(defaultValue = "2") int flushThreads,
    @Bindable(defaultValue = "256MiB") String multipartThreshold,
    @Bindable(defaultValue = "64MiB") String multipartPartSize) {

  /** How a write is acknowledged. */
  public enum Mode {
    WRITE_BACK,
    WRITE_THROUGH
  }

  public Mode modeValue() {
    return switch (mode.trim().toLowerCase(Locale.ROOT)) {
      case "write-back" -> Mode.WRITE_BACK;
      case "write-through" -> Mode.WRITE_THROUGH;
      default -> throw new ConfigurationError("strata.uploads.mode", mode, "write-back or write-through");
    };
  }

  public long maxPendingBytesValue() {
    long bytes = ConfigValues.size("strata.uploads.max-pending-bytes", maxPendingBytes);
    ConfigValues.require(bytes > 0, "strata.uploads.max-pending-bytes", maxPendingBytes, "a size above 0");
    return bytes;
  }

  public Duration retryIntervalDuration() {
    Duration d = ConfigValues.duration("strata.uploads.retry-interval", retryInterval);
    ConfigValues.require(!d.isZero() && !d.isNegative(), "strata.uploads.retry-interval", retryInterval,
        "a positive duration such as 30s");
    return d;
  }

  public Duration maxBackoffDuration() {
    Duration d = ConfigValues.duration("strata.uploads.max-backoff", maxBackoff);
    ConfigValues.require(!d.isZero() && !d.isNegative(), "strata.uploads.max-backoff", maxBackoff,
        "a positive duration such as 5m");
    return d;
  }

  public long multipartThresholdValue() {
    long bytes = ConfigValues.size("strata.uploads.multipart-threshold", multipartThreshold);
    ConfigValues.require(bytes >= 5L << 20, "strata.uploads.multipart-threshold", multipartThreshold,
        "at least 5MiB");
    return bytes;
  }

  /** Between S3's smallest part (5 MiB) and a size that keeps a 5 TiB object within 10,000 parts. */
  public long multipartPartSizeValue() {
    long bytes = ConfigValues.size("strata.uploads.multipart-part-size", multipartPartSize);
    ConfigValues.require(bytes >= 5L << 20 && bytes <= 5L << 30, "strata.uploads.multipart-part-size",
        multipartPartSize, "between 5MiB and 5GiB");
    return bytes;
  }

  public int flushThreadsValue() {
    ConfigValues.require(flushThreads > 0 && flushThreads <= 64, "strata.uploads.flush-threads", flushThreads,
        "between 1 and 64");
    return flushThreads;
  }
}
