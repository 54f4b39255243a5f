package io.strata.proxy.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client key pairs Strata accepts, read from {@code strata.auth.*}: the main pair and any
 * under {@code strata.auth.credentials}. Secrets may come from files so they need not sit in the
 * environment or a config file; they are never part of an error message or log line.
 *
 * @param secretsByAccessKey access key id to secret access key
 * @param anonymous whether unsigned requests are served as well
 * @param madeForDemo whether the one pair was made by a {@code --demo} run (and is printed)
 * @param region the region clients must sign for, or null for any
 */
public record ClientKeys(Map<String, String> secretsByAccessKey, boolean anonymous,
    boolean madeForDemo, String region) {

  public ClientKeys {
    secretsByAccessKey = Map.copyOf(secretsByAccessKey);
  }

  /** Reads and checks the configuration; refuses a setup in which nobody could authenticate. */
  public static ClientKeys from(AuthSettings auth, List<ExtraCredential> extra) {
    Map<String, String> keys = new LinkedHashMap<>();
    add(keys, "strata.auth", auth.accessKey(), auth.secretKey(), auth.secretKeyFile());
    for (int i = 0; i < extra.size(); i++) {
      ExtraCredential c = extra.get(i);
      add(keys, "strata.auth.credentials[" + i + "]", c.accessKey(), c.secretKey(), c.secretKeyFile());
    }
    if (keys.isEmpty() && !auth.anonymous()) {
      throw new ConfigurationError("invalid configuration: no client credentials; set"
          + " strata.auth.access-key and strata.auth.secret-key (STRATA_AUTH_ACCESS_KEY,"
          + " STRATA_AUTH_SECRET_KEY), or allow unsigned access with strata.auth.anonymous=true");
    }
    String region = auth.region() == null || auth.region().isBlank() ? null : auth.region().strip();
    return new ClientKeys(keys, auth.anonymous(), false, region);
  }

  /** Whether any key or anonymous access is configured at all (else a demo makes a pair). */
  public static boolean configured(AuthSettings auth, List<ExtraCredential> extra) {
    return auth.accessKey() != null || auth.secretKey() != null || auth.secretKeyFile() != null
        || !extra.isEmpty() || auth.anonymous();
  }

  private static void add(Map<String, String> keys, String prefix, String accessKey,
      String secretKey, String secretKeyFile) {
    boolean hasKey = accessKey != null && !accessKey.isBlank();
    boolean hasSecret = secretKey != null && !secretKey.isBlank();
    boolean hasFile = secretKeyFile != null && !secretKeyFile.isBlank();
    if (!hasKey && !hasSecret && !hasFile) {
      return;
    }
    if (!hasKey) {
      throw new ConfigurationError("invalid configuration: " + prefix + ".access-key is not set"
          + " but a secret is (expected: both, or neither)");
    }
    if (hasSecret == hasFile) {
      throw new ConfigurationError("invalid configuration: " + prefix + " needs exactly one of"
          + " secret-key and secret-key-file for access key " + accessKey);
    }
    String secret = hasFile ? readSecret(prefix + ".secret-key-file", Path.of(secretKeyFile.strip()))
        : secretKey;
    if (keys.putIfAbsent(accessKey.strip(), secret.strip()) != null) {
      throw new ConfigurationError("invalid configuration: access key " + accessKey
          + " is configured twice (" + prefix + ")");
    }
  }

  private static String readSecret(String key, Path file) {
    String secret;
    try {
      secret = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ConfigurationError("invalid configuration: " + key + ": cannot read " + file + " ("
          + e.getClass().getSimpleName() + ")");
    }
    if (secret.isEmpty()) {
      throw new ConfigurationError("invalid configuration: " + key + ": " + file + " is empty");
    }
    return secret;
  }

  @Override
  public String toString() {
    return "ClientKeys[accessKeys=" + secretsByAccessKey.keySet() + ", anonymous=" + anonymous
        + ", madeForDemo=" + madeForDemo + "]";
  }
}
