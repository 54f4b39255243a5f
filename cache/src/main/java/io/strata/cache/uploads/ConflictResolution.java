package io.strata.cache.uploads;

/** What an operator decides for a write parked in {@link UploadState#CONFLICT}. */
public sealed interface ConflictResolution {

  /** Write anyway, replacing the upstream's newer version. */
  record Overwrite() implements ConflictResolution {}

  /** Drop the queued write and its data; the upstream's version stands. */
  record Discard() implements ConflictResolution {}

  /** Upload the queued data under another key instead (as a create). */
  record UploadAs(String newKey) implements ConflictResolution {}
}
