package io.strata.cache.uploads;

/** What a queued write does upstream. */
public enum UploadOperation {
  /** PUT of a key the client's view did not hold: flushed with {@code If-None-Match: *}. */
  CREATE,
  /** PUT replacing the version {@code baseEtag}: flushed with {@code If-Match: baseEtag}. */
  UPDATE,
  /** DELETE; when {@code baseEtag} is set, only if the upstream still holds that version. */
  DELETE
}
