package io.strata.proxy.s3;

import io.strata.proxy.s3.auth.Authentication;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a request line and headers into an {@link S3Request}: finds the bucket (path style
 * {@code /bucket/key} or virtual-host style {@code bucket.localhost}), decodes the key, and
 * classifies the operation.
 *
 * <p>Keys are percent-decoded from the raw path, so {@code %2F} becomes {@code /} and {@code +}
 * stays a plus sign (in a path it is not a space; AWS SDKs send a space as {@code %20}).
 *
 * <p>Hostile names stop here: every bucket must pass {@link BucketNames}, every key
 * {@link ObjectKeys}, the decoded bytes must be valid UTF-8, and no query parameter may hold NUL
 * (prefixes, delimiters and markers are compared as strings, never used as paths, so that is all
 * they need).
 */
public final class S3RequestParser {

  /** Bucket sub-resources that select an operation Strata does not serve. */
  private static final Set<String> BUCKET_SUBRESOURCES =
      Set.of("acl", "cors", "encryption", "lifecycle", "logging", "notification", "object-lock",
          "policy", "policyStatus", "publicAccessBlock", "replication", "requestPayment", "tagging",
          "versioning", "versions", "website", "accelerate", "analytics", "intelligent-tiering",
          "inventory", "metrics", "ownershipControls");

  /**
   * Object sub-resources and parameters that select something other than the current object's
   * bytes. {@code versionId} is refused rather than ignored: serving the current object instead
   * would be wrong data. ({@code partNumber} is served: see ObjectParts.)
   */
  private static final Set<String> OBJECT_SUBRESOURCES =
      Set.of("acl", "tagging", "torrent", "retention", "legal-hold", "restore", "select", "attributes",
          "versionId");

  private final List<String> domains;

  /** @param domains host names under which {@code bucket.<domain>} selects a bucket */
  public S3RequestParser(List<String> domains) {
    this.domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
  }

  public S3Request parse(String method, String uri, Map<String, String> headers, String requestId,
      Authentication authentication) {
    int q = uri.indexOf('?');
    String rawPath = q < 0 ? uri : uri.substring(0, q);
    Map<String, String> query = q < 0 ? Map.of() : parseQuery(uri.substring(q + 1));
    if (rawPath.startsWith("http://") || rawPath.startsWith("https://")) {
      // absolute-form request target (RFC 9112 §3.2.2): keep only the path
      int slash = rawPath.indexOf('/', rawPath.indexOf("//") + 2);
      rawPath = slash < 0 ? "/" : rawPath.substring(slash);
    }
    if (!rawPath.startsWith("/")) {
      throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The request target must start with '/'");
    }
    String bucket;
    String key;
    String hostBucket = bucketFromHost(headers.get("host"));
    if (hostBucket != null) {
      bucket = hostBucket;
      key = rawPath.length() > 1 ? decodePath(rawPath.substring(1)) : null;
    } else {
      String rest = rawPath.substring(1);
      int slash = rest.indexOf('/');
      String rawBucket = slash < 0 ? rest : rest.substring(0, slash);
      bucket = rawBucket.isEmpty() ? null : decodePath(rawBucket);
      key = slash < 0 || slash == rest.length() - 1 ? null : decodePath(rest.substring(slash + 1));
      if (bucket == null && key != null) {
        // "//key": a key under an empty bucket name, not a service-level request (found by
        // S3RequestParserFuzzTest; it was classified as ListBuckets).
        throw new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME).with("BucketName", "");
      }
    }
    if (key != null && key.isEmpty()) {
      key = null;
    }
    if (bucket != null || key != null) {
      BucketNames.requireValid(bucket == null ? "" : bucket); // "//key" names the empty bucket
    }
    if (key != null) {
      ObjectKeys.requireValid(key);
    }
    query.forEach((name, value) -> {
      if (name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Query parameters must not contain NUL")
            .with("ArgumentName", ObjectKeys.abbreviate(name));
      }
    });
    String upper = method.toUpperCase(Locale.ROOT);
    Classification c = classify(upper, bucket, key, query, headers);
    return new S3Request(c.operation, upper, bucket, key, query, headers, requestId, c.reason,
        authentication);
  }

  private record Classification(S3Operation operation, String reason) {
    static Classification of(S3Operation op) {
      return new Classification(op, null);
    }

    static Classification unsupported(String reason) {
      return new Classification(S3Operation.UNSUPPORTED, reason);
    }
  }

  private static Classification classify(
      String method, String bucket, String key, Map<String, String> query, Map<String, String> headers) {
    if (bucket == null) {
      return "GET".equals(method)
          ? Classification.of(S3Operation.LIST_BUCKETS)
          : Classification.unsupported(method + " on the service");
    }
    if (key == null) {
      for (String sub : BUCKET_SUBRESOURCES) {
        if (query.containsKey(sub)) {
          return Classification.unsupported(method + " /" + bucket + "?" + sub);
        }
      }
      return switch (method) {
        case "GET" -> {
          if (query.containsKey("location")) yield Classification.of(S3Operation.GET_BUCKET_LOCATION);
          if (query.containsKey("uploads")) yield Classification.of(S3Operation.LIST_MULTIPART_UPLOADS);
          if ("2".equals(query.get("list-type"))) yield Classification.of(S3Operation.LIST_OBJECTS_V2);
          yield Classification.of(S3Operation.LIST_OBJECTS);
        }
        case "HEAD" -> Classification.of(S3Operation.HEAD_BUCKET);
        case "POST" -> query.containsKey("delete")
            ? Classification.of(S3Operation.DELETE_OBJECTS)
            : Classification.unsupported("POST /" + bucket);
        default -> Classification.unsupported(method + " /" + bucket + " (bucket writes)");
      };
    }
    for (String sub : OBJECT_SUBRESOURCES) {
      if (query.containsKey(sub)) {
        return Classification.unsupported(method + " object ?" + sub);
      }
    }
    boolean upload = query.containsKey("uploadId");
    boolean copy = headers.containsKey("x-amz-copy-source");
    return switch (method) {
      case "GET" -> upload ? Classification.of(S3Operation.LIST_PARTS) : Classification.of(S3Operation.GET_OBJECT);
      case "HEAD" -> Classification.of(S3Operation.HEAD_OBJECT);
      case "PUT" -> {
        if (copy) yield Classification.unsupported(upload ? "UploadPartCopy (x-amz-copy-source)" : "CopyObject (x-amz-copy-source)");
        if (upload) yield Classification.of(S3Operation.UPLOAD_PART);
        yield Classification.of(S3Operation.PUT_OBJECT);
      }
      case "POST" -> {
        if (query.containsKey("uploads")) yield Classification.of(S3Operation.CREATE_MULTIPART_UPLOAD);
        if (upload) yield Classification.of(S3Operation.COMPLETE_MULTIPART_UPLOAD);
        yield Classification.unsupported("POST object");
      }
      case "DELETE" -> upload ? Classification.of(S3Operation.ABORT_MULTIPART_UPLOAD)
          : Classification.of(S3Operation.DELETE_OBJECT);
      default -> Classification.unsupported(method + " object");
    };
  }

  /** {@code bucket} when the Host is {@code bucket.<domain>[:port]} for a configured domain. */
  private String bucketFromHost(String host) {
    if (host == null) {
      return null;
    }
    String name = host.toLowerCase(Locale.ROOT);
    if (name.startsWith("[")) {
      return null; // IPv6 literal
    }
    int colon = name.lastIndexOf(':');
    if (colon >= 0) {
      name = name.substring(0, colon);
    }
    for (String domain : domains) {
      if (name.length() > domain.length() + 1 && name.endsWith("." + domain)) {
        return name.substring(0, name.length() - domain.length() - 1);
      }
    }
    return null;
  }

  static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    for (String part : rawQuery.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = decode(eq < 0 ? part : part.substring(0, eq), true);
      String value = eq < 0 ? "" : decode(part.substring(eq + 1), true);
      query.put(name, value);
    }
    return query;
  }

  static String decodePath(String raw) {
    return decode(raw, false);
  }

  /**
   * Strict percent-decoding as UTF-8. In query strings {@code +} means a space (form encoding, as
   * S3 reads it); in paths it is a literal plus.
   *
   * <p>Netty hands over the request line as one char per byte (ISO-8859-1), so a char up to U+00FF
   * is taken as the byte it came from: raw UTF-8 sent unescaped decodes like its escaped form.
   * Chars above U+00FF (only from callers other than the wire) are taken as UTF-8. Bytes that are
   * not valid UTF-8 are refused rather than replaced, so two different byte strings never map to
   * the same key.
   */
  static String decode(String raw, boolean plusIsSpace) {
    if (isPlainAscii(raw, plusIsSpace)) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw badEncoding(raw);
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw badEncoding(raw);
        }
        out.write((hi << 4) | lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        out.write(' ');
      } else if (c <= 0xFF) {
        out.write(c);
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < raw.length() ? i + 2 : i + 1;
        out.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end - 1;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The request names something that is not valid UTF-8: "
          + ObjectKeys.abbreviate(raw));
    }
  }

  private static boolean isPlainAscii(String raw, boolean plusIsSpace) {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' || c >= 0x80 || (c == '+' && plusIsSpace)) {
        return false;
      }
    }
    return true;
  }

  private static S3Exception badEncoding(String raw) {
    return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid percent-encoding in the request: " + raw);
  }
}
