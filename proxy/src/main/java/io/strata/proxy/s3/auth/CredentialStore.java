package io.strata.proxy.s3.auth;

import java.util.Map;
import java.util.Optional;

/** The client key pairs Strata accepts. */
public interface CredentialStore {

  /** The secret access key for {@code accessKeyId}, or empty when the key is unknown. */
  Optional<String> secretFor(String accessKeyId);

  /** A fixed set of key pairs: access key id to secret access key. */
  static CredentialStore of(Map<String, String> secretsByAccessKeyId) {
    Map<String, String> copy = Map.copyOf(secretsByAccessKeyId);
    return accessKeyId -> Optional.ofNullable(copy.get(accessKeyId));
  }
}
