package io.strata.proxy.upstream;

/** A ranged read with {@code If-Match} found a different version upstream (412). */
public final class VersionChangedException extends RuntimeException {

  public VersionChangedException(String bucket, String key, String etag) {
    super("s3://" + bucket + "/" + key + " is no longer version " + etag);
  }
}
