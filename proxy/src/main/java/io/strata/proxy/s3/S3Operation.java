package io.strata.proxy.s3;

/**
 * Every request is classified once into one operation, used for dispatch, metrics and logs.
 * Operations Strata does not serve yet classify as {@link #UNSUPPORTED} and answer
 * {@code NotImplemented}.
 */
public enum S3Operation {
  // reads
  LIST_BUCKETS,
  HEAD_BUCKET,
  GET_BUCKET_LOCATION,
  LIST_OBJECTS_V2,
  LIST_OBJECTS,
  GET_OBJECT,
  HEAD_OBJECT,
  PUT_OBJECT,
  DELETE_OBJECT,
  DELETE_OBJECTS,
  CREATE_MULTIPART_UPLOAD,
  UPLOAD_PART,
  LIST_PARTS,
  COMPLETE_MULTIPART_UPLOAD,
  ABORT_MULTIPART_UPLOAD,
  LIST_MULTIPART_UPLOADS,
  UNSUPPORTED
}
