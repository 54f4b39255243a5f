package io.strata.proxy.s3;

import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Strata's own ListObjectsV2 continuation tokens. They carry the last key (or common prefix) a
 * page returned, and the upstream's token when the page came from it. So a listing can move
 * between online and offline pages, and queued writes can be laid over exactly the span of keys a
 * page covers.
 */
final class ListTokens {

  private static final String VERSION = "s1.";

  /** Where the next page starts: after {@code lastKey}, or at the upstream's token if it has one. */
  record Position(String lastKey, String upstreamToken) {}

  private ListTokens() {}

  static String encode(String lastKey, String upstreamToken) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return VERSION + b64.encodeToString(lastKey.getBytes(StandardCharsets.UTF_8)) + "."
        + (upstreamToken == null ? "" : b64.encodeToString(upstreamToken.getBytes(StandardCharsets.UTF_8)));
  }

  static Position decode(String token) {
    if (token.startsWith(VERSION)) {
      String[] parts = token.substring(VERSION.length()).split("\\.", -1);
      if (parts.length == 2) {
        try {
          Base64.Decoder b64 = Base64.getUrlDecoder();
          String last = new String(b64.decode(parts[0]), StandardCharsets.UTF_8);
          String upstream = parts[1].isEmpty() ? null : new String(b64.decode(parts[1]), StandardCharsets.UTF_8);
          return new Position(last, upstream);
        } catch (IllegalArgumentException e) {
          // fall through to the error
        }
      }
    }
    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The continuation token provided is incorrect")
        .with("ArgumentName", "continuation-token");
  }
}
