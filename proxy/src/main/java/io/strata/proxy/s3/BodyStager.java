package io.strata.proxy.s3;

import io.strata.cache.uploads.StagedBody;
import io.strata.cache.uploads.StagedFile;
import io.strata.cache.uploads.UploadQueue;
import io.strata.proxy.s3.body.BodyDecoder;
import io.strata.proxy.s3.body.VerifyingInputStream;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a request body into a staged file under the upload queue, decoding aws-chunked framing and
 * verifying its length, Content-MD5 and checksums on the way. Only a body that passed every check
 * is committed (fsync'ed); anything else leaves nothing behind.
 */
@Singleton
final class BodyStager {

  /** A verified, durable body and the digests the response and the queue need. */
  record Staged(StagedFile file, String md5Hex, String checksumAlgorithm, String checksumBase64) {

    /** The ETag S3 gives a single PUT: the quoted hex MD5 of the body. */
    String etag() {
      return '"' + md5Hex + '"';
    }

    byte[] md5() {
      return HexFormat.of().parseHex(md5Hex);
    }
  }

  private final UploadQueue queue;

  BodyStager(UploadQueue queue) {
    this.queue = queue;
  }

  /** The payload length a request declares, or -1 if it does not say. */
  static long declaredLength(S3Request request) {
    // x-amz-decoded-content-length counts the payload of an aws-chunked body; S3 ignores it otherwise.
    String sha = request.header("x-amz-content-sha256");
    boolean chunked = sha != null && sha.startsWith("STREAMING-");
    String length = chunked ? request.header("x-amz-decoded-content-length") : request.header("content-length");
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid length: " + length);
    }
  }

  /** S3 requires a length for uploads unless the body is chunked (411 MissingContentLength). */
  static void requireLength(S3Request request) {
    if (request.header("content-length") == null && request.header("transfer-encoding") == null) {
      throw new S3Exception(S3ErrorCode.MISSING_CONTENT_LENGTH);
    }
  }

  Staged stage(S3Request request, InputStream body) throws IOException {
    InputStream raw = body == null ? InputStream.nullInputStream() : body;
    VerifyingInputStream payload = BodyDecoder.open(raw, request.headers(),
        request.authentication().chunkSignatures());
    try (StagedBody staged = queue.stage()) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = payload.read(buffer)) >= 0) {
        staged.write(ByteBuffer.wrap(buffer, 0, n));
      }
      // Reaching EOF verified length, digests and trailers; only now may the body become durable.
      StagedFile file = staged.commit();
      return new Staged(file, payload.md5Hex(), payload.checksumAlgorithm(), payload.checksumBase64());
    }
  }

  /** Reads a small body whole (XML documents), verified like any other. */
  static byte[] readSmall(S3Request request, InputStream body, int limit) throws IOException {
    InputStream raw = body == null ? InputStream.nullInputStream() : body;
    VerifyingInputStream payload = BodyDecoder.open(raw, request.headers(),
        request.authentication().chunkSignatures());
    byte[] bytes = payload.readNBytes(limit + 1);
    if (bytes.length > limit) {
      throw new S3Exception(S3ErrorCode.MALFORMED_XML, "The XML document is larger than " + limit + " bytes");
    }
    if (payload.read() >= 0) {
      throw new IllegalStateException("unreachable: the body was read past its limit");
    }
    return bytes;
  }

  /** The {@code x-amz-meta-*} headers of a request, names without the prefix. */
  static Map<String, String> userMetadata(S3Request request) {
    Map<String, String> metadata = new LinkedHashMap<>();
    request.headers().forEach((name, value) -> {
      if (name.startsWith("x-amz-meta-")) {
        metadata.put(name.substring("x-amz-meta-".length()).toLowerCase(Locale.ROOT), value);
      }
    });
    return metadata;
  }

  static String contentType(S3Request request) {
    String type = request.header("content-type");
    return type == null || type.isBlank() ? "binary/octet-stream" : type;
  }
}
