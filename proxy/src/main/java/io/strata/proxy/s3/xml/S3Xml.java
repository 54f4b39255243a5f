package io.strata.proxy.s3.xml;

import static java.util.Objects.requireNonNull;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Renders S3 XML response bodies. The one place error XML is written (see STYLE.md "Errors").
 *
 * <p>Shapes follow the Amazon S3 API reference response syntax for each operation. The S3
 * namespace is on ListBucketResult, ListAllMyBucketsResult and LocationConstraint but not on
 * Error, as S3 itself writes them.
 */
public final class S3Xml {
  private S3Xml() {}

  /**
   * {@code <?xml ...?><Error><Code/><Message/>details...<Resource/><RequestId/></Error>}, UTF-8.
   * A null {@code resource} or {@code requestId} leaves that element out.
   */
  public static byte[] error(S3Exception e, String resource, String requestId) {
    requireNonNull(e, "e");
    XmlWriter w = new XmlWriter().open("Error")
        .element("Code", e.code().code())
        .element("Message", e.getMessage());
    for (Map.Entry<String, String> detail : e.details().entrySet()) {
      w.element(detail.getKey(), detail.getValue());
    }
    return w.optional("Resource", resource)
        .optional("RequestId", requestId)
        .close("Error")
        .toBytes();
  }

  /**
   * ListObjectsV2 ({@code GET /bucket?list-type=2}). Element order follows what S3 sends; SDK
   * parsers do not depend on it. {@code Prefix}, {@code KeyCount}, {@code MaxKeys} and
   * {@code IsTruncated} are always present; the rest only when set. An empty delimiter is left
   * out, as S3 does.
   */
  public static byte[] listObjectsV2(ListObjectsV2Result r) {
    requireNonNull(r, "result");
    boolean url = r.urlEncoded();
    XmlWriter w = new XmlWriter().openNamespaced("ListBucketResult")
        .element("Name", r.bucket())
        .element("Prefix", encode(r.prefix() == null ? "" : r.prefix(), url))
        .optional("StartAfter", encode(r.startAfter(), url))
        // Tokens are opaque and URL-safe by construction, so never encoded.
        .optional("ContinuationToken", r.continuationToken())
        .optional("NextContinuationToken", r.nextContinuationToken())
        .element("KeyCount", r.keyCount())
        .element("MaxKeys", r.maxKeys())
        .optional("Delimiter", r.delimiter() == null || r.delimiter().isEmpty()
            ? null : encode(r.delimiter(), url))
        .optional("EncodingType", r.encodingType())
        .element("IsTruncated", r.truncated());
    return entries(w, r).close("ListBucketResult").toBytes();
  }

  /**
   * ListObjects (v1): the same page as {@link #listObjectsV2}, with {@code Marker} and
   * {@code NextMarker} (AWS sends NextMarker only with a delimiter; clients otherwise resume after
   * the last key, which is the same value).
   */
  public static byte[] listObjectsV1(ListObjectsV2Result r, String marker, String nextMarker) {
    requireNonNull(r, "result");
    boolean url = r.urlEncoded();
    XmlWriter w = new XmlWriter().openNamespaced("ListBucketResult")
        .element("Name", r.bucket())
        .element("Prefix", encode(r.prefix() == null ? "" : r.prefix(), url))
        .element("Marker", encode(marker == null ? "" : marker, url))
        .optional("NextMarker", r.truncated() && r.delimiter() != null ? encode(nextMarker, url) : null)
        .element("MaxKeys", r.maxKeys())
        .optional("Delimiter", r.delimiter() == null || r.delimiter().isEmpty()
            ? null : encode(r.delimiter(), url))
        .optional("EncodingType", r.encodingType())
        .element("IsTruncated", r.truncated());
    return entries(w, r).close("ListBucketResult").toBytes();
  }

  private static XmlWriter entries(XmlWriter w, ListObjectsV2Result r) {
    boolean url = r.urlEncoded();
    for (ObjectEntry o : r.contents()) {
      w.open("Contents")
          .element("Key", encode(o.key(), url))
          .element("LastModified", o.lastModified())
          .element("ETag", quoted(o.etag()))
          .element("Size", o.size())
          .element("StorageClass", o.storageClass())
          .close("Contents");
    }
    for (String prefix : r.commonPrefixes()) {
      w.open("CommonPrefixes").element("Prefix", encode(prefix, url)).close("CommonPrefixes");
    }
    return w;
  }

  /** ListBuckets ({@code GET /}). */
  public static byte[] listBuckets(List<BucketEntry> buckets, String ownerId,
      String ownerDisplayName) {
    requireNonNull(buckets, "buckets");
    XmlWriter w = new XmlWriter().openNamespaced("ListAllMyBucketsResult")
        .open("Owner")
        .element("ID", ownerId)
        .optional("DisplayName", ownerDisplayName)
        .close("Owner")
        .open("Buckets");
    for (BucketEntry b : buckets) {
      w.open("Bucket")
          .element("Name", b.name())
          .element("CreationDate", b.creationDate())
          .close("Bucket");
    }
    return w.close("Buckets").close("ListAllMyBucketsResult").toBytes();
  }

  /**
   * GetBucketLocation: {@code <LocationConstraint xmlns=...>region</LocationConstraint>}. For
   * us-east-1 (or no region) the element is empty, as S3 answers for buckets in the original
   * region (API reference, GetBucketLocation: "Buckets in Region us-east-1 have a
   * LocationConstraint of null").
   */
  public static byte[] bucketLocation(String region) {
    String text = region == null || region.isEmpty() || region.equals("us-east-1") ? "" : region;
    return new XmlWriter().openNamespaced("LocationConstraint")
        .text(text)
        .close("LocationConstraint")
        .toBytes();
  }

  /**
   * Encodes a value the way S3 does under {@code encoding-type=url}: the
   * application/x-www-form-urlencoded byte encoding of UTF-8 (letters, digits and {@code . - * _}
   * kept, space as {@code +}, everything else {@code %XX} upper case) except that {@code /} is
   * kept. Measured against S3: key {@code a+ b.txt} lists as {@code a%2B+b.txt}
   * (versity/versitygw#2169), prefix {@code run books/x+y%z} as {@code run+books/x+y%25z}, and
   * {@code ~} as {@code %7E}. Clients decode with form semantics (botocore {@code unquote_plus},
   * AWS SDK for Java v2 {@code URLDecoder}), so {@code +} round-trips.
   */
  static String urlEncode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("%2F", "/");
  }

  private static String encode(String value, boolean url) {
    return value == null || !url ? value : urlEncode(value);
  }

  /** S3 ETags are quoted strings on the wire (RFC 9110 §8.8.3 entity-tag). */
  static String quoted(String etag) {
    if (etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
      return etag;
    }
    if (etag.startsWith("W/\"") && etag.endsWith("\"") && etag.length() >= 4) {
      return etag;
    }
    return '"' + etag + '"';
  }
}
