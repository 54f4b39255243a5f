package io.strata.cache.uploads;

/** Where a queued write is. Rows of writes that reached the upstream are deleted, not kept. */
public enum UploadState {
  /** Waiting for its turn ({@code nextAttemptAt}) and for earlier writes to the same key. */
  PENDING,
  /** Being sent upstream now. Back to {@link #PENDING} after a restart. */
  UPLOADING,
  /** Parked: the upstream changed since {@code baseEtag}. Kept, with its data, until resolved. */
  CONFLICT
}
