package io.strata.proxy.s3.auth;

import io.strata.proxy.s3.body.ChunkSignatures;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The signature chain of one {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD} body: the first chunk is
 * signed from the request's (seed) signature, every next one from the chunk before it, and the
 * trailer from the final chunk. A chunk cut out, reordered or altered breaks the chain.
 */
final class StreamingSignatures implements ChunkSignatures {

  private final SignatureDetail seed;
  private String previous;

  StreamingSignatures(SignatureDetail seed) {
    this.seed = seed;
    this.previous = seed.signature();
  }

  @Override
  public void chunk(String signature, byte[] chunkSha256) {
    check(SigV4Verifier.chunkSignature(seed, previous, chunkSha256), signature);
    previous = signature;
  }

  @Override
  public void trailer(String signature, byte[] trailersSha256) {
    check(SigV4Verifier.trailerSignature(seed, previous, trailersSha256), signature);
  }

  private void check(String expected, String provided) {
    if (provided == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        provided.getBytes(StandardCharsets.US_ASCII))) {
      throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
          "The request signature we calculated does not match the signature you provided. A chunk"
              + " of the streaming body was altered or its signature is wrong.")
          .with("AWSAccessKeyId", seed.accessKeyId())
          .with("SignatureProvided", provided == null ? "" : provided);
    }
  }
}
