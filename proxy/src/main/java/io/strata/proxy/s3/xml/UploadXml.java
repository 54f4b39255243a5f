package io.strata.proxy.s3.xml;

import static io.strata.proxy.s3.xml.XmlReader.children;
import static io.strata.proxy.s3.xml.XmlReader.is;
import static io.strata.proxy.s3.xml.XmlReader.malformed;
import static io.strata.proxy.s3.xml.XmlReader.text;
import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * XML bodies of the S3 write operations: DeleteObjects and the multipart upload calls.
 *
 * <p>Requests. Bodies are parsed by {@link XmlReader}, which is safe against hostile input; any
 * violation of the schema (missing or repeated element, bad number, too many entries) is
 * {@link S3ErrorCode#MALFORMED_XML}, as S3 answers. Unknown elements (checksums, the
 * conditional-delete {@code ETag}, {@code Size}) are skipped. The caller bounds the body size
 * before calling; the entry limits here bound the work after parsing.
 *
 * <p>Responses. Element names and order follow the examples in the Amazon S3 API reference,
 * which are what S3 sends (the "Response Syntax" blocks list child elements alphabetically):
 * e.g. {@code <ID>} before {@code <DisplayName>}, and {@code <Key>}, {@code <Code>},
 * {@code <Message>} in a DeleteObjects {@code <Error>}. ETags are written quoted, adding the
 * quotes if missing (see {@link S3Xml#quoted}).
 */
public final class UploadXml {
  /** DeleteObjects takes at most 1000 keys (API reference, DeleteObjects). */
  public static final int MAX_DELETE_KEYS = 1000;
  /** A multipart upload has at most 10,000 parts, numbered 1 to 10,000. */
  public static final int MAX_PARTS = 10_000;

  /** Who we say initiated and owns every upload; there is one identity behind the proxy. */
  private static final String PRINCIPAL = "strata";
  // Digits only: Integer.parseInt would also take "+5" and "-0", which the schema does not.
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,5}");

  private UploadXml() {}

  // ---- requests ----

  /** DeleteObjects body. {@code <VersionId>} is ignored: Strata keeps no object versions. */
  public static DeleteRequest parseDelete(byte[] xml) {
    Element root = XmlReader.parseRoot(xml, "Delete");
    List<String> keys = new ArrayList<>();
    boolean quiet = false;
    for (Element child : children(root)) {
      if (is(child, "Object")) {
        if (keys.size() == MAX_DELETE_KEYS) {
          throw malformed(null);
        }
        keys.add(text(only(child, "Key")));
      } else if (is(child, "Quiet")) {
        quiet = parseBoolean(text(child).strip());
      }
    }
    if (keys.isEmpty()) {
      throw malformed(null);
    }
    return new DeleteRequest(keys, quiet);
  }

  /**
   * CompleteMultipartUpload body. Parts come back in document order; whether that order is
   * ascending ({@link S3ErrorCode#INVALID_PART_ORDER}) and whether each part exists
   * ({@link S3ErrorCode#INVALID_PART}) is the handler's to check.
   */
  public static List<CompletedPart> parseComplete(byte[] xml) {
    Element root = XmlReader.parseRoot(xml, "CompleteMultipartUpload");
    List<CompletedPart> parts = new ArrayList<>();
    for (Element child : children(root)) {
      if (!is(child, "Part")) {
        continue;
      }
      if (parts.size() == MAX_PARTS) {
        throw malformed(null);
      }
      String number = text(only(child, "PartNumber")).strip();
      if (!DIGITS.matcher(number).matches()) {
        throw malformed(null);
      }
      int partNumber = Integer.parseInt(number);
      if (partNumber < 1 || partNumber > MAX_PARTS) {
        throw malformed(null);
      }
      parts.add(new CompletedPart(partNumber, text(only(child, "ETag")).strip()));
    }
    if (parts.isEmpty()) {
      throw malformed(null);
    }
    return List.copyOf(parts);
  }

  // ---- responses ----

  /** CreateMultipartUpload ({@code POST /bucket/key?uploads}). */
  public static byte[] initiateMultipartUpload(String bucket, String key, String uploadId) {
    return new XmlWriter().openNamespaced("InitiateMultipartUploadResult")
        .element("Bucket", requireNonNull(bucket, "bucket"))
        .element("Key", requireNonNull(key, "key"))
        .element("UploadId", requireNonNull(uploadId, "uploadId"))
        .close("InitiateMultipartUploadResult")
        .toBytes();
  }

  /** CompleteMultipartUpload ({@code POST /bucket/key?uploadId=...}), on success. */
  public static byte[] completeMultipartUpload(String location, String bucket, String key,
      String etag) {
    return new XmlWriter().openNamespaced("CompleteMultipartUploadResult")
        .element("Location", requireNonNull(location, "location"))
        .element("Bucket", requireNonNull(bucket, "bucket"))
        .element("Key", requireNonNull(key, "key"))
        .element("ETag", S3Xml.quoted(requireNonNull(etag, "etag")))
        .close("CompleteMultipartUploadResult")
        .toBytes();
  }

  /** ListParts ({@code GET /bucket/key?uploadId=...}). */
  public static byte[] listParts(ListPartsResult r) {
    requireNonNull(r, "result");
    XmlWriter w = new XmlWriter().openNamespaced("ListPartsResult")
        .element("Bucket", r.bucket())
        .element("Key", r.key())
        .element("UploadId", r.uploadId());
    principal(w, "Initiator");
    principal(w, "Owner");
    w.element("StorageClass", r.storageClass())
        .element("PartNumberMarker", r.partNumberMarker())
        .element("NextPartNumberMarker", r.nextPartNumberMarker())
        .element("MaxParts", r.maxParts())
        .element("IsTruncated", r.truncated());
    for (PartEntry p : r.parts()) {
      w.open("Part")
          .element("PartNumber", p.partNumber())
          .element("LastModified", p.lastModified())
          .element("ETag", S3Xml.quoted(p.etag()))
          .element("Size", p.size())
          .close("Part");
    }
    return w.close("ListPartsResult").toBytes();
  }

  /**
   * ListMultipartUploads ({@code GET /bucket?uploads}). {@code KeyMarker}, {@code UploadIdMarker}
   * and {@code Prefix} are echoed even when empty, as S3 does; next markers only when set; an
   * empty delimiter is left out.
   */
  public static byte[] listMultipartUploads(ListUploadsResult r) {
    requireNonNull(r, "result");
    XmlWriter w = new XmlWriter().openNamespaced("ListMultipartUploadsResult")
        .element("Bucket", r.bucket())
        .element("KeyMarker", r.keyMarker())
        .element("UploadIdMarker", r.uploadIdMarker())
        .optional("NextKeyMarker", r.nextKeyMarker())
        .optional("NextUploadIdMarker", r.nextUploadIdMarker())
        .optional("Delimiter",
            r.delimiter() == null || r.delimiter().isEmpty() ? null : r.delimiter())
        .element("Prefix", r.prefix())
        .element("MaxUploads", r.maxUploads())
        .element("IsTruncated", r.truncated());
    for (UploadEntry u : r.uploads()) {
      w.open("Upload")
          .element("Key", u.key())
          .element("UploadId", u.uploadId());
      principal(w, "Initiator");
      principal(w, "Owner");
      w.element("StorageClass", u.storageClass())
          .element("Initiated", u.initiated())
          .close("Upload");
    }
    for (String prefix : r.commonPrefixes()) {
      w.open("CommonPrefixes").element("Prefix", prefix).close("CommonPrefixes");
    }
    return w.close("ListMultipartUploadsResult").toBytes();
  }

  /**
   * DeleteObjects result: a {@code <Deleted>} per key unless {@code quiet} (API reference: "In
   * quiet mode the response includes only keys where the delete operation encountered an
   * error"), then an {@code <Error>} per failure, always.
   */
  public static byte[] deleteResult(List<String> deleted, List<DeleteError> errors,
      boolean quiet) {
    requireNonNull(deleted, "deleted");
    requireNonNull(errors, "errors");
    XmlWriter w = new XmlWriter().openNamespaced("DeleteResult");
    if (!quiet) {
      for (String key : deleted) {
        w.open("Deleted").element("Key", requireNonNull(key, "key")).close("Deleted");
      }
    }
    for (DeleteError e : errors) {
      w.open("Error")
          .element("Key", e.key())
          .element("Code", e.code())
          .element("Message", e.message())
          .close("Error");
    }
    return w.close("DeleteResult").toBytes();
  }

  private static void principal(XmlWriter w, String element) {
    w.open(element).element("ID", PRINCIPAL).element("DisplayName", PRINCIPAL).close(element);
  }

  /** The one child named {@code name}; none or several is a schema violation. */
  private static Element only(Element parent, String name) {
    Element found = null;
    for (Element child : children(parent)) {
      if (is(child, name)) {
        if (found != null) {
          throw malformed(null);
        }
        found = child;
      }
    }
    if (found == null) {
      throw malformed(null);
    }
    return found;
  }

  /** XML Schema {@code xs:boolean}: true, false, 1 or 0. */
  private static boolean parseBoolean(String s) {
    return switch (s) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw malformed(null);
    };
  }

  // ---- values ----

  /** A parsed DeleteObjects request: keys in document order. */
  public record DeleteRequest(List<String> keys, boolean quiet) {
    public DeleteRequest {
      keys = List.copyOf(requireNonNull(keys, "keys"));
    }
  }

  /** One {@code <Part>} of a CompleteMultipartUpload request; the ETag as sent, quotes kept. */
  public record CompletedPart(int partNumber, String etag) {
    public CompletedPart {
      requireNonNull(etag, "etag");
    }
  }

  /**
   * What a ListParts response says.
   *
   * @param storageClass {@code STANDARD} when null
   */
  public record ListPartsResult(String bucket, String key, String uploadId, int partNumberMarker,
      int nextPartNumberMarker, int maxParts, boolean truncated, List<PartEntry> parts,
      String storageClass) {
    public ListPartsResult {
      requireNonNull(bucket, "bucket");
      requireNonNull(key, "key");
      requireNonNull(uploadId, "uploadId");
      nonNegative("partNumberMarker", partNumberMarker);
      nonNegative("nextPartNumberMarker", nextPartNumberMarker);
      nonNegative("maxParts", maxParts);
      parts = parts == null ? List.of() : List.copyOf(parts);
      storageClass = storageClass == null ? "STANDARD" : storageClass;
    }
  }

  /** One {@code <Part>} of a ListParts response. */
  public record PartEntry(int partNumber, Instant lastModified, String etag, long size) {
    public PartEntry {
      if (partNumber < 1 || partNumber > MAX_PARTS) {
        throw new IllegalArgumentException(
            "partNumber: " + partNumber + " (expected: 1.." + MAX_PARTS + ")");
      }
      requireNonNull(lastModified, "lastModified");
      requireNonNull(etag, "etag");
      nonNegative("size", size);
    }
  }

  /**
   * What a ListMultipartUploads response says. Nullable: {@code prefix}, {@code delimiter},
   * {@code keyMarker}, {@code uploadIdMarker}, {@code nextKeyMarker}, {@code nextUploadIdMarker}.
   */
  public record ListUploadsResult(String bucket, String prefix, String delimiter,
      String keyMarker, String uploadIdMarker, String nextKeyMarker, String nextUploadIdMarker,
      int maxUploads, boolean truncated, List<UploadEntry> uploads, List<String> commonPrefixes) {
    public ListUploadsResult {
      requireNonNull(bucket, "bucket");
      nonNegative("maxUploads", maxUploads);
      uploads = uploads == null ? List.of() : List.copyOf(uploads);
      commonPrefixes = commonPrefixes == null ? List.of() : List.copyOf(commonPrefixes);
    }
  }

  /**
   * One {@code <Upload>} of a ListMultipartUploads response.
   *
   * @param storageClass {@code STANDARD} when null
   */
  public record UploadEntry(String key, String uploadId, Instant initiated, String storageClass) {
    public UploadEntry {
      requireNonNull(key, "key");
      requireNonNull(uploadId, "uploadId");
      requireNonNull(initiated, "initiated");
      storageClass = storageClass == null ? "STANDARD" : storageClass;
    }
  }

  /** One failed key of a DeleteObjects request; {@code code} is an S3 error code string. */
  public record DeleteError(String key, String code, String message) {
    public DeleteError {
      requireNonNull(key, "key");
      requireNonNull(code, "code");
      requireNonNull(message, "message");
    }
  }

  private static void nonNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
    }
  }
}
