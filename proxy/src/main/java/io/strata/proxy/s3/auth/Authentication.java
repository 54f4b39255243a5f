package io.strata.proxy.s3.auth;

import io.strata.proxy.s3.body.ChunkSignatures;

/**
 * Who sent a request, as established by {@link RequestAuthenticator}: a verified SigV4 signature,
 * or nobody (anonymous access, when enabled).
 *
 * @param signature the verified signature, or null for an anonymous request
 */
public record Authentication(SignatureDetail signature) {

  /** A request without any signature, served because anonymous access is enabled. */
  public static final Authentication ANONYMOUS = new Authentication(null);

  public boolean anonymous() {
    return signature == null;
  }

  /** The client's access key id, or {@code anonymous}. */
  public String principal() {
    return signature == null ? "anonymous" : signature.accessKeyId();
  }

  /**
   * A fresh checker for the chunk signatures of this request's streaming body, chained from its
   * seed signature; null for an anonymous request, which cannot send a signed body (the
   * authenticator refuses one).
   */
  public ChunkSignatures chunkSignatures() {
    return signature == null ? null : new StreamingSignatures(signature);
  }
}
