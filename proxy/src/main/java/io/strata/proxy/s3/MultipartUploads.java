package io.strata.proxy.s3;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.strata.cache.uploads.MultipartUpload;
import io.strata.cache.uploads.PendingUpload;
import io.strata.cache.uploads.UploadQueue;
import io.strata.cache.uploads.UploadedPart;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.s3.xml.UploadXml;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Multipart uploads, kept entirely in Strata until completed: parts are stored durably as they
 * arrive; completion joins them into one queued PUT whose ETag is S3's
 * {@code md5-of-part-md5s-N}, and the flush repeats the same part sizes so the upstream agrees.
 */
@Singleton
final class MultipartUploads {

  /** S3's smallest part, except for the last (AWS: "Amazon S3 multipart upload limits"). */
  static final long MIN_PART_SIZE = 5L * 1024 * 1024;
  static final int MAX_PART_NUMBER = 10_000;
  private static final int MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;

  private final UploadQueue queue;
  private final WritePath writes;
  private final BodyStager stager;

  MultipartUploads(UploadQueue queue, WritePath writes, BodyStager stager) {
    this.queue = queue;
    this.writes = writes;
    this.stager = stager;
  }

  void create(S3Request request, NettyResponse response) {
    WritePath.validateKey(request.key());
    MultipartUpload upload =
        queue.createMultipart(
            request.bucket(), request.key(), BodyStager.contentType(request), BodyStager.userMetadata(request));
    sendXml(response, UploadXml.initiateMultipartUpload(request.bucket(), request.key(), upload.uploadId()));
  }

  void uploadPart(S3Request request, InputStream body, NettyResponse response) throws IOException {
    int partNumber = partNumber(request.param("partNumber"));
    MultipartUpload upload = upload(request);
    BodyStager.requireLength(request);
    writes.requireRoom(BodyStager.declaredLength(request));
    BodyStager.Staged staged = stager.stage(request, body);
    UploadedPart part = writes.enqueue(staged.file(), () -> queue.putPart(upload.uploadId(), partNumber, staged.file(), staged.etag()));
    response.sendFull(HttpResponseStatus.OK, "application/xml", new byte[0], Map.of("ETag", part.etag()), false);
  }

  void listParts(S3Request request, NettyResponse response) {
    MultipartUpload upload = upload(request);
    int marker = intParam(request, "part-number-marker", 0, 0, MAX_PART_NUMBER);
    int maxParts = intParam(request, "max-parts", 1000, 0, 1000);
    List<UploadedPart> after =
        queue.parts(upload.uploadId()).stream().filter(p -> p.partNumber() > marker).toList();
    List<UploadedPart> page = after.subList(0, Math.min(maxParts, after.size()));
    boolean truncated = after.size() > page.size();
    int next = page.isEmpty() ? marker : page.get(page.size() - 1).partNumber();
    List<UploadXml.PartEntry> entries =
        page.stream().map(p -> new UploadXml.PartEntry(p.partNumber(), p.lastModified(), p.etag(), p.size())).toList();
    sendXml(response, UploadXml.listParts(new UploadXml.ListPartsResult(
        request.bucket(), request.key(), upload.uploadId(), marker, next, maxParts, truncated, entries, "STANDARD")));
  }

  void complete(S3Request request, InputStream body, NettyResponse response) throws IOException {
    MultipartUpload upload = upload(request);
    List<UploadXml.CompletedPart> named =
        UploadXml.parseComplete(BodyStager.readSmall(request, body, MAX_DOCUMENT_BYTES));
    if (named.isEmpty()) {
      throw new S3Exception(S3ErrorCode.MALFORMED_XML, "You must specify at least one part");
    }
    Map<Integer, UploadedPart> stored = new java.util.HashMap<>();
    queue.parts(upload.uploadId()).forEach(p -> stored.put(p.partNumber(), p));
    MessageDigest md5s = md5();
    int previous = 0;
    for (int i = 0; i < named.size(); i++) {
      UploadXml.CompletedPart part = named.get(i);
      if (part.partNumber() <= previous) {
        throw new S3Exception(S3ErrorCode.INVALID_PART_ORDER);
      }
      previous = part.partNumber();
      UploadedPart have = stored.get(part.partNumber());
      if (have == null || !unquote(have.etag()).equalsIgnoreCase(unquote(part.etag()))) {
        throw new S3Exception(S3ErrorCode.INVALID_PART).with("PartNumber", Integer.toString(part.partNumber()));
      }
      if (i < named.size() - 1 && have.size() < MIN_PART_SIZE) {
        throw new S3Exception(S3ErrorCode.ENTITY_TOO_SMALL)
            .with("ProposedSize", Long.toString(have.size()))
            .with("MinSizeAllowed", Long.toString(MIN_PART_SIZE))
            .with("PartNumber", Integer.toString(part.partNumber()));
      }
      md5s.update(HexFormat.of().parseHex(unquote(have.etag())));
    }
    // S3's multipart ETag: the MD5 of the concatenated binary part MD5s, then "-" and the count.
    String etag = '"' + HexFormat.of().formatHex(md5s.digest()) + "-" + named.size() + '"';
    String base = writes.baseEtag(request.bucket(), request.key());
    List<Integer> numbers = named.stream().map(UploadXml.CompletedPart::partNumber).toList();
    PendingUpload queued;
    try {
      queued = writes.enqueue(null, () -> queue.completeMultipart(upload.uploadId(), numbers, etag, base));
    } catch (NoSuchElementException e) {
      throw noSuchUpload(upload.uploadId());
    }
    String delivered = writes.deliver(queued);
    sendXml(response, UploadXml.completeMultipartUpload(
        "/" + request.bucket() + "/" + request.key(), request.bucket(), request.key(), delivered));
  }

  void abort(S3Request request, NettyResponse response) {
    MultipartUpload upload = upload(request);
    try {
      queue.abortMultipart(upload.uploadId());
    } catch (NoSuchElementException e) {
      throw noSuchUpload(upload.uploadId());
    }
    response.sendFull(HttpResponseStatus.NO_CONTENT, "application/xml", new byte[0], Map.of(), true);
  }

  void listUploads(S3Request request, NettyResponse response) {
    String prefix = Optional.ofNullable(request.param("prefix")).orElse("");
    int maxUploads = intParam(request, "max-uploads", 1000, 0, 1000);
    List<MultipartUpload> all = queue.multiparts(request.bucket(), prefix);
    List<MultipartUpload> page = all.subList(0, Math.min(maxUploads, all.size()));
    boolean truncated = all.size() > page.size();
    MultipartUpload last = page.isEmpty() ? null : page.get(page.size() - 1);
    List<UploadXml.UploadEntry> entries =
        page.stream().map(u -> new UploadXml.UploadEntry(u.key(), u.uploadId(), u.initiated(), "STANDARD")).toList();
    sendXml(response, UploadXml.listMultipartUploads(new UploadXml.ListUploadsResult(
        request.bucket(), prefix, request.param("delimiter"), request.param("key-marker"),
        request.param("upload-id-marker"), truncated ? last.key() : null, truncated ? last.uploadId() : null,
        maxUploads, truncated, entries, List.of())));
  }

  private MultipartUpload upload(S3Request request) {
    String uploadId = request.param("uploadId");
    return queue.multipart(uploadId)
        .filter(u -> u.bucket().equals(request.bucket()) && u.key().equals(request.key()))
        .orElseThrow(() -> noSuchUpload(uploadId));
  }

  private static S3Exception noSuchUpload(String uploadId) {
    return new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD).with("UploadId", String.valueOf(uploadId));
  }

  private static int partNumber(String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= MAX_PART_NUMBER) {
        return n;
      }
    } catch (NumberFormatException | NullPointerException e) {
      // fall through
    }
    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Part number must be an integer between 1 and 10000, inclusive")
        .with("ArgumentName", "partNumber")
        .with("ArgumentValue", String.valueOf(value));
  }

  private static int intParam(S3Request request, String name, int fallback, int min, int max) {
    String value = request.param(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Math.max(min, Math.min(max, Integer.parseInt(value.trim())));
    } catch (NumberFormatException e) {
      throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid " + name + ": " + value)
          .with("ArgumentName", name);
    }
  }

  private static String unquote(String etag) {
    String e = etag.trim();
    return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }

  private static void sendXml(NettyResponse response, byte[] xml) {
    response.sendFull(HttpResponseStatus.OK, "application/xml", xml, Map.of(), false);
  }
}
