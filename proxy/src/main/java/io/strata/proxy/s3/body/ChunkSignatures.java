package io.strata.proxy.s3.body;

/**
 * Checks the signatures of a signed aws-chunked body ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}
 * and its {@code -TRAILER} variant) as the chunks arrive. Each call throws the S3 error when the
 * signature is not the one the request's signing key gives; the chain state lives in the
 * implementation, so one instance serves one body.
 */
public interface ChunkSignatures {

  /**
   * One chunk, in order, the final zero-length chunk included.
   *
   * @param signature the {@code chunk-signature} sent with the chunk (lower-case hex)
   * @param chunkSha256 SHA-256 of the chunk's data
   */
  void chunk(String signature, byte[] chunkSha256);

  /**
   * The trailing headers, after the final chunk.
   *
   * @param signature the {@code x-amz-trailer-signature} value
   * @param trailersSha256 SHA-256 of the trailers as {@code name:value\n} lines, in the order sent
   */
  void trailer(String signature, byte[] trailersSha256);
}
