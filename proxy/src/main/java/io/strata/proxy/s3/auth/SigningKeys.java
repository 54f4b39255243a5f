package io.strata.proxy.s3.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SigV4 key derivation and hashing ("Calculate the signature for AWS Signature Version 4":
 * kDate = HMAC("AWS4" + secret, yyyyMMdd), kRegion, kService, kSigning = HMAC(kService,
 * "aws4_request")).
 *
 * <p>A derived key is valid for one day, region and service, so it is cached per (secret, date,
 * region, service); four HMACs per request would otherwise dominate small GETs. The cache is
 * cleared wholesale when it grows past {@link #MAX_ENTRIES}, which bounds memory without an LRU.
 */
final class SigningKeys {
  /** Most cached keys before the cache is cleared; one per key pair, day, region and service. */
  static final int MAX_ENTRIES = 1024;

  private record Id(String secret, String date, String region, String service) {}

  private final Map<Id, byte[]> cache = new ConcurrentHashMap<>();

  /** The signing key; callers must not modify the returned array. */
  byte[] signingKey(String secret, String date, String region, String service) {
    Id id = new Id(secret, date, region, service);
    byte[] key = cache.get(id);
    if (key != null) {
      return key;
    }
    if (cache.size() >= MAX_ENTRIES) {
      cache.clear();
    }
    byte[] kDate = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    byte[] kRegion = hmac(kDate, region);
    byte[] kService = hmac(kRegion, service);
    key = hmac(kService, "aws4_request");
    cache.put(id, key);
    return key;
  }

  static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by the JDK spec", e);
    }
  }

  static String hmacHex(byte[] key, String data) {
    return HexFormat.of().formatHex(hmac(key, data));
  }

  static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(sha256(data));
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required by the JDK spec", e);
    }
  }
}
