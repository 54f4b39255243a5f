package io.strata.proxy.s3;

/**
 * Every request is classified once into one operation, used for dispatch, metrics and logs.
 * Operations Strata does not serve yet classify as {@link #UNSUPPORTED} and answer
 * {@code NotImplemented}.
 */
public enum S3Operation {
  LIST_BUCKETS,
  HEAD_BUCKET,
  GET_BUCKET_LOCATION,
  LIST_OBJECTS_V2,
  LIST_OBJECTS,
  GET_OBJECT,
  HEAD_OBJECT,
  UNSUPPORTED
}
