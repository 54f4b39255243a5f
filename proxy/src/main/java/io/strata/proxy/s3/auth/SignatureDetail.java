package io.strata.proxy.s3.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A verified SigV4 signature: who signed, for which scope, and the derived signing key that
 * {@link SigV4Verifier#chunkSignature} needs to check the chunks of a streaming upload.
 *
 * @param accessKeyId the client's access key id
 * @param date the request timestamp ({@code x-amz-date}, {@code X-Amz-Date} or {@code Date})
 * @param region the scope's region, e.g. {@code us-east-1}
 * @param service the scope's service, always {@code s3}
 * @param signature the verified signature (the seed signature of a streaming upload)
 * @param signedHeaders the signed header names, lower case, in signing order
 * @param payloadHash the {@code x-amz-content-sha256} value, or {@code UNSIGNED-PAYLOAD} for a
 *     presigned URL without that header
 * @param signingKey the derived key {@code HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region),
 *     service), "aws4_request")}; a copy is returned on each access
 * @param scope the credential scope {@code yyyyMMdd/region/service/aws4_request}
 */
public record SignatureDetail(String accessKeyId, Instant date, String region, String service,
    String signature, List<String> signedHeaders, String payloadHash, byte[] signingKey,
    String scope) {

  public SignatureDetail {
    requireNonNull(accessKeyId, "accessKeyId");
    requireNonNull(date, "date");
    requireNonNull(region, "region");
    requireNonNull(service, "service");
    requireNonNull(signature, "signature");
    signedHeaders = List.copyOf(signedHeaders);
    requireNonNull(payloadHash, "payloadHash");
    signingKey = requireNonNull(signingKey, "signingKey").clone();
    requireNonNull(scope, "scope");
  }

  @Override
  public byte[] signingKey() {
    return signingKey.clone();
  }

  @Override
  public String toString() {
    // Never log key material.
    return "SignatureDetail[accessKeyId=" + accessKeyId + ", date=" + date + ", scope=" + scope
        + ", signedHeaders=" + signedHeaders + ", payloadHash=" + payloadHash + "]";
  }
}
