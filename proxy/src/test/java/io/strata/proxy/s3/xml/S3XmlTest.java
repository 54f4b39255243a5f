package io.strata.proxy.s3.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class S3XmlTest {
  private static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
  private static final Instant T = Instant.parse("2009-10-12T17:50:30Z");
  private static final String NASTY = "a&b<c>d\"e'f g/ü/日本/😀";

  /** Parses with the JDK's namespace-aware DOM parser, so any malformed output fails the test. */
  private static Document parse(byte[] xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
  }

  private static String text(Document doc, String tag) {
    NodeList nodes = doc.getElementsByTagNameNS("*", tag);
    assertThat(nodes.getLength()).as("<%s> count", tag).isEqualTo(1);
    return nodes.item(0).getTextContent();
  }

  private static List<String> texts(Element parent, String tag) {
    List<String> out = new ArrayList<>();
    NodeList nodes = parent.getElementsByTagNameNS("*", tag);
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add(nodes.item(i).getTextContent());
    }
    return out;
  }

  private static List<String> childNames(Element e) {
    List<String> names = new ArrayList<>();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      names.add(n.getLocalName());
    }
    return names;
  }

  private static ListObjectsV2Result listing(String encodingType, List<ObjectEntry> contents,
      List<String> prefixes) {
    return new ListObjectsV2Result("bkt", null, null, 1000, null, null, null, false,
        encodingType, contents, prefixes);
  }

  // ---- error ----

  @Test
  void error_rendersCodeMessageDetailsResourceRequestIdInOrder() throws Exception {
    S3Exception e = new S3Exception(S3ErrorCode.INVALID_RANGE)
        .with("RangeRequested", "bytes=10-")
        .with("ActualObjectSize", "10");
    byte[] xml = S3Xml.error(e, "/bkt/k", "4442587FB7D0A2F9");
    String s = new String(xml, StandardCharsets.UTF_8);
    assertThat(s).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    Document doc = parse(xml);
    Element root = doc.getDocumentElement();
    assertThat(root.getLocalName()).isEqualTo("Error");
    assertThat(root.getNamespaceURI()).isNull();
    assertThat(childNames(root)).containsExactly("Code", "Message", "RangeRequested",
        "ActualObjectSize", "Resource", "RequestId");
    assertThat(text(doc, "Code")).isEqualTo("InvalidRange");
    assertThat(text(doc, "Message")).isEqualTo("The requested range is not satisfiable");
    assertThat(text(doc, "RangeRequested")).isEqualTo("bytes=10-");
    assertThat(text(doc, "Resource")).isEqualTo("/bkt/k");
    assertThat(text(doc, "RequestId")).isEqualTo("4442587FB7D0A2F9");
  }

  @Test
  void error_escapesMessageDetailsAndResource() throws Exception {
    S3Exception e = new S3Exception(S3ErrorCode.NO_SUCH_KEY, "no <" + NASTY + ">")
        .with("Key", NASTY);
    Document doc = parse(S3Xml.error(e, "/bkt/" + NASTY, "id"));
    assertThat(text(doc, "Message")).isEqualTo("no <" + NASTY + ">");
    assertThat(text(doc, "Key")).isEqualTo(NASTY);
    assertThat(text(doc, "Resource")).isEqualTo("/bkt/" + NASTY);
  }

  @Test
  void error_nullResourceAndRequestIdOmitted() throws Exception {
    Document doc = parse(S3Xml.error(new S3Exception(S3ErrorCode.ACCESS_DENIED), null, null));
    assertThat(childNames(doc.getDocumentElement())).containsExactly("Code", "Message");
    assertThat(text(doc, "Message")).isEqualTo("Access Denied");
  }

  // ---- listObjectsV2 ----

  @Test
  void listObjectsV2_fullResponse() throws Exception {
    ListObjectsV2Result r = new ListObjectsV2Result("bkt", "photos/", "/", 2, "photos/a",
        "tok1", "tok2", true, null,
        List.of(new ObjectEntry("photos/b.jpg", T.plusMillis(123), "abc", 42, null)),
        List.of("photos/2024/"));
    Document doc = parse(S3Xml.listObjectsV2(r));
    Element root = doc.getDocumentElement();
    assertThat(root.getLocalName()).isEqualTo("ListBucketResult");
    assertThat(root.getNamespaceURI()).isEqualTo(NS);
    assertThat(childNames(root)).containsExactly("Name", "Prefix", "StartAfter",
        "ContinuationToken", "NextContinuationToken", "KeyCount", "MaxKeys", "Delimiter",
        "IsTruncated", "Contents", "CommonPrefixes");
    assertThat(text(doc, "Name")).isEqualTo("bkt");
    assertThat(text(doc, "StartAfter")).isEqualTo("photos/a");
    assertThat(text(doc, "ContinuationToken")).isEqualTo("tok1");
    assertThat(text(doc, "NextContinuationToken")).isEqualTo("tok2");
    assertThat(text(doc, "KeyCount")).isEqualTo("2");
    assertThat(text(doc, "MaxKeys")).isEqualTo("2");
    assertThat(text(doc, "IsTruncated")).isEqualTo("true");
    Element contents = (Element) root.getElementsByTagNameNS(NS, "Contents").item(0);
    assertThat(childNames(contents))
        .containsExactly("Key", "LastModified", "ETag", "Size", "StorageClass");
    assertThat(text(doc, "Key")).isEqualTo("photos/b.jpg");
    assertThat(text(doc, "LastModified")).isEqualTo("2009-10-12T17:50:30.123Z");
    assertThat(text(doc, "ETag")).isEqualTo("\"abc\"");
    assertThat(text(doc, "Size")).isEqualTo("42");
    assertThat(text(doc, "StorageClass")).isEqualTo("STANDARD");
    Element cp = (Element) root.getElementsByTagNameNS(NS, "CommonPrefixes").item(0);
    assertThat(texts(cp, "Prefix")).containsExactly("photos/2024/");
  }

  @Test
  void listObjectsV2_minimalOmitsOptionalElements() throws Exception {
    Document doc = parse(S3Xml.listObjectsV2(listing(null, List.of(), List.of())));
    assertThat(childNames(doc.getDocumentElement()))
        .containsExactly("Name", "Prefix", "KeyCount", "MaxKeys", "IsTruncated");
    assertThat(text(doc, "Prefix")).isEmpty();
    assertThat(text(doc, "KeyCount")).isEqualTo("0");
    assertThat(text(doc, "IsTruncated")).isEqualTo("false");
  }

  @Test
  void listObjectsV2_emptyDelimiterOmitted() throws Exception {
    ListObjectsV2Result r = new ListObjectsV2Result("bkt", "", "", 1000, null, null, null, false,
        null, null, null);
    assertThat(childNames(parse(S3Xml.listObjectsV2(r)).getDocumentElement()))
        .doesNotContain("Delimiter");
  }

  @Test
  void listObjectsV2_datesHaveMillisecondsAndZ() throws Exception {
    Document doc = parse(S3Xml.listObjectsV2(listing(null,
        List.of(new ObjectEntry("k", T, "\"e\"", 0, "GLACIER")), List.of())));
    assertThat(text(doc, "LastModified")).isEqualTo("2009-10-12T17:50:30.000Z");
    assertThat(text(doc, "StorageClass")).isEqualTo("GLACIER");
  }

  @Test
  void listObjectsV2_etagKeepsQuotesEscaped() {
    String s = new String(S3Xml.listObjectsV2(listing(null,
        List.of(new ObjectEntry("k", T, "\"abc-2\"", 1, null)), List.of())),
        StandardCharsets.UTF_8);
    assertThat(s).contains("<ETag>&quot;abc-2&quot;</ETag>");
  }

  @Test
  void listObjectsV2_escapesKeysWithoutEncodingType() throws Exception {
    byte[] xml = S3Xml.listObjectsV2(listing(null,
        List.of(new ObjectEntry(NASTY, T, "e", 1, null)), List.of(NASTY + "/")));
    String s = new String(xml, StandardCharsets.UTF_8);
    assertThat(s).contains("<Key>a&amp;b&lt;c&gt;d&quot;e&apos;f g/ü/日本/😀</Key>");
    Document doc = parse(xml);
    assertThat(text(doc, "Key")).isEqualTo(NASTY);
    Element cp = (Element) doc.getElementsByTagNameNS(NS, "CommonPrefixes").item(0);
    assertThat(texts(cp, "Prefix")).containsExactly(NASTY + "/");
  }

  @Test
  void listObjectsV2_controlCharactersKeepDocumentWellFormed() throws Exception {
    String key = "tab\there\nline\rcr\u0001\u0000\u001F\uFFFE\uD800end";
    Document doc = parse(S3Xml.listObjectsV2(listing(null,
        List.of(new ObjectEntry(key, T, "e", 1, null)), List.of())));
    // TAB/LF/CR survive as character references; illegal characters become U+FFFD.
    assertThat(text(doc, "Key"))
        .isEqualTo("tab\there\nline\rcr\uFFFD\uFFFD\uFFFD\uFFFD\uFFFDend");
  }

  @Test
  void listObjectsV2_urlEncodingTypeEncodesKeysPrefixesDelimiterStartAfter() throws Exception {
    ListObjectsV2Result r = new ListObjectsV2Result("bkt", "run books/", "|", 1000, "k m", null,
        null, false, "url",
        List.of(new ObjectEntry("run books/a+ b.txt", T, "e", 1, null),
            new ObjectEntry("x/%~!*'()-_.,;:@=&<>\"", T, "e", 1, null),
            new ObjectEntry("한글/ü", T, "e", 1, null)),
        List.of("run books/sub dir/"));
    Document doc = parse(S3Xml.listObjectsV2(r));
    Element root = doc.getDocumentElement();
    assertThat(text(doc, "EncodingType")).isEqualTo("url");
    assertThat(childNames(root).indexOf("EncodingType"))
        .isGreaterThan(childNames(root).indexOf("MaxKeys"))
        .isLessThan(childNames(root).indexOf("IsTruncated"));
    assertThat(texts(root, "Key")).containsExactly(
        "run+books/a%2B+b.txt",
        "x/%25%7E%21*%27%28%29-_.%2C%3B%3A%40%3D%26%3C%3E%22",
        "%ED%95%9C%EA%B8%80/%C3%BC");
    assertThat(texts(root, "Prefix")).containsExactly("run+books/", "run+books/sub+dir/");
    assertThat(text(doc, "Delimiter")).isEqualTo("%7C");
    assertThat(text(doc, "StartAfter")).isEqualTo("k+m");
  }

  @Test
  void listObjectsV2_urlEncodingTypeKeepsControlCharacters() throws Exception {
    String key = "a\u0001b\u0000c\nd";
    Document doc = parse(S3Xml.listObjectsV2(listing("url",
        List.of(new ObjectEntry(key, T, "e", 1, null)), List.of())));
    assertThat(text(doc, "Key")).isEqualTo("a%01b%00c%0Ad");
    assertThat(URLDecoder.decode(text(doc, "Key"), StandardCharsets.UTF_8)).isEqualTo(key);
  }

  @Test
  void listObjectsV2_urlEncodingTypeEchoedAsSent() throws Exception {
    Document doc = parse(S3Xml.listObjectsV2(listing("URL", List.of(), List.of())));
    assertThat(text(doc, "EncodingType")).isEqualTo("URL");
  }

  @Test
  void listObjectsV2_randomKeysRoundTrip() throws Exception {
    Random random = new Random(7);
    int[] pool = {'a', '/', ' ', '+', '%', '&', '<', '>', '"', '\'', '\t', '\n', '\r', 0x1,
        0x7F, 0xE9, 0x65E5, 0xFFFD, 0x1F600};
    for (int i = 0; i < 300; i++) {
      StringBuilder sb = new StringBuilder();
      int len = 1 + random.nextInt(12);
      for (int j = 0; j < len; j++) {
        sb.appendCodePoint(pool[random.nextInt(pool.length)]);
      }
      String key = sb.toString();
      Document url = parse(S3Xml.listObjectsV2(listing("url",
          List.of(new ObjectEntry(key, T, "e", 1, null)), List.of())));
      assertThat(URLDecoder.decode(text(url, "Key"), StandardCharsets.UTF_8)).isEqualTo(key);
      Document plain = parse(S3Xml.listObjectsV2(listing(null,
          List.of(new ObjectEntry(key, T, "e", 1, null)), List.of())));
      assertThat(text(plain, "Key")).isEqualTo(key.replace('\u0001', '\uFFFD'));
    }
  }

  @Test
  void listObjectsV2Result_keyCountCountsContentsAndPrefixes() {
    ListObjectsV2Result r = listing(null,
        List.of(new ObjectEntry("a", T, "e", 1, null), new ObjectEntry("b", T, "e", 1, null)),
        List.of("p/"));
    assertThat(r.keyCount()).isEqualTo(3);
  }

  @Test
  void listObjectsV2Result_rejectsUnknownEncodingType() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> listing("base64", null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- listBuckets ----

  @Test
  void listBuckets_ownerAndBuckets() throws Exception {
    byte[] xml = S3Xml.listBuckets(List.of(new BucketEntry("a&b", T),
        new BucketEntry("c", T.plusMillis(5))), "owner-id", "Strata <local>");
    Document doc = parse(xml);
    Element root = doc.getDocumentElement();
    assertThat(root.getLocalName()).isEqualTo("ListAllMyBucketsResult");
    assertThat(root.getNamespaceURI()).isEqualTo(NS);
    assertThat(childNames(root)).containsExactly("Owner", "Buckets");
    assertThat(text(doc, "ID")).isEqualTo("owner-id");
    assertThat(text(doc, "DisplayName")).isEqualTo("Strata <local>");
    assertThat(texts(root, "Name")).containsExactly("a&b", "c");
    assertThat(texts(root, "CreationDate"))
        .containsExactly("2009-10-12T17:50:30.000Z", "2009-10-12T17:50:30.005Z");
  }

  @Test
  void listBuckets_emptyListAndNoDisplayName() throws Exception {
    Document doc = parse(S3Xml.listBuckets(List.of(), "id", null));
    assertThat(doc.getElementsByTagNameNS(NS, "Bucket").getLength()).isZero();
    assertThat(doc.getElementsByTagNameNS(NS, "Buckets").getLength()).isEqualTo(1);
    assertThat(doc.getElementsByTagNameNS(NS, "DisplayName").getLength()).isZero();
  }

  // ---- bucketLocation ----

  @Test
  void bucketLocation_region() throws Exception {
    Document doc = parse(S3Xml.bucketLocation("eu-west-1"));
    assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("LocationConstraint");
    assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo(NS);
    assertThat(doc.getDocumentElement().getTextContent()).isEqualTo("eu-west-1");
  }

  @Test
  void bucketLocation_usEast1IsEmpty() throws Exception {
    for (String region : new String[] {"us-east-1", "", null}) {
      byte[] xml = S3Xml.bucketLocation(region);
      assertThat(parse(xml).getDocumentElement().getTextContent()).isEmpty();
      assertThat(new String(xml, StandardCharsets.UTF_8))
          .endsWith("<LocationConstraint xmlns=\"" + NS + "\"></LocationConstraint>");
    }
  }

  // ---- helpers ----

  @Test
  void quoted_addsQuotesOnlyWhenMissing() {
    assertThat(S3Xml.quoted("abc")).isEqualTo("\"abc\"");
    assertThat(S3Xml.quoted("\"abc\"")).isEqualTo("\"abc\"");
    assertThat(S3Xml.quoted("\"")).isEqualTo("\"\"\"");
    assertThat(S3Xml.quoted("")).isEqualTo("\"\"");
  }

  @Test
  void urlEncode_s3Form() {
    assertThat(S3Xml.urlEncode("a+ b.txt")).isEqualTo("a%2B+b.txt");
    assertThat(S3Xml.urlEncode("dir/sub dir/")).isEqualTo("dir/sub+dir/");
    assertThat(S3Xml.urlEncode("AZaz09-_.*~")).isEqualTo("AZaz09-_.*%7E");
  }
}
