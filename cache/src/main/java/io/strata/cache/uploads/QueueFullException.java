package io.strata.cache.uploads;

/** Accepting a write would take the queue past {@code maxPendingBytes}. */
public final class QueueFullException extends RuntimeException {

  public QueueFullException(long pendingBytes, long adding, long maxPendingBytes) {
    super("the upload queue holds " + pendingBytes + " bytes; " + adding + " more would pass its limit of "
        + maxPendingBytes + " bytes (strata.uploads.max-pending-bytes)");
  }
}
