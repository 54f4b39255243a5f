package io.strata.proxy.s3.xml;

import static java.nio.charset.StandardCharsets.UTF_16;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.strata.proxy.s3.xml.UploadXml.CompletedPart;
import io.strata.proxy.s3.xml.UploadXml.DeleteError;
import io.strata.proxy.s3.xml.UploadXml.DeleteRequest;
import io.strata.proxy.s3.xml.UploadXml.ListPartsResult;
import io.strata.proxy.s3.xml.UploadXml.ListUploadsResult;
import io.strata.proxy.s3.xml.UploadXml.PartEntry;
import io.strata.proxy.s3.xml.UploadXml.UploadEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.xml.parsers.DocumentBuilderFactory;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

class UploadXmlTest {
  private static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
  private static final Instant T = Instant.parse("2024-05-06T07:08:09.123456Z");

  // ---- parseDelete ----

  @Test
  void parseDelete_sdkShapedWithNamespaceAndWhitespace() {
    DeleteRequest r = UploadXml.parseDelete(bytes("""
        <?xml version="1.0" encoding="UTF-8"?>
        <Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
          <Object>
            <Key>logs/2024/a.parquet</Key>
          </Object>
          <Object>
            <Key>logs/2024/b.parquet</Key>
            <VersionId>null</VersionId>
            <ETag>"abc"</ETag>
          </Object>
          <Quiet>true</Quiet>
        </Delete>
        """));
    assertThat(r.keys()).containsExactly("logs/2024/a.parquet", "logs/2024/b.parquet");
    assertThat(r.quiet()).isTrue();
  }

  @Test
  void parseDelete_awsSdkJavaV2Compact() {
    // Shape the SDK's RestXml marshaller writes: namespace, no whitespace, no Quiet.
    DeleteRequest r = UploadXml.parseDelete(bytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<Delete xmlns=\"" + NS + "\"><Object><Key>k1</Key></Object>"
        + "<Object><Key>k2</Key></Object></Delete>"));
    assertThat(r.keys()).containsExactly("k1", "k2");
    assertThat(r.quiet()).isFalse();
  }

  @Test
  void parseDelete_curlWithoutNamespace() {
    DeleteRequest r = UploadXml.parseDelete(
        bytes("<Delete><Object><Key>a</Key></Object><Quiet>false</Quiet></Delete>"));
    assertThat(r.keys()).containsExactly("a");
    assertThat(r.quiet()).isFalse();
  }

  @Test
  void parseDelete_keyKeepsSpacesEntitiesAndCdata() {
    DeleteRequest r = UploadXml.parseDelete(bytes("<Delete>"
        + "<Object><Key> a &amp; b &lt;c&gt; </Key></Object>"
        + "<Object><Key><![CDATA[x<y>&z]]></Key></Object>"
        + "<Object><Key>cr&#13;lf&#10;tab&#9;</Key></Object>"
        + "<Object><Key>caf\u00e9/\ud83d\ude00</Key></Object>"
        + "<Object><Key>a<!-- note -->b</Key></Object>"
        + "</Delete>"));
    assertThat(r.keys()).containsExactly(" a & b <c> ", "x<y>&z", "cr\rlf\ntab\t",
        "caf\u00e9/\ud83d\ude00", "ab");
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "1", " true\n"})
  void parseDelete_quietTrueForms(String value) {
    assertThat(UploadXml.parseDelete(
        bytes("<Delete><Object><Key>a</Key></Object><Quiet>" + value + "</Quiet></Delete>"))
        .quiet()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "TRUE", "", "2"})
  void parseDelete_quietInvalid_malformed(String value) {
    assertMalformed(() -> UploadXml.parseDelete(
        bytes("<Delete><Object><Key>a</Key></Object><Quiet>" + value + "</Quiet></Delete>")));
  }

  @Test
  void parseDelete_thousandObjects_accepted() {
    assertThat(UploadXml.parseDelete(deleteOf(1000)).keys()).hasSize(1000).endsWith("k999");
  }

  @Test
  void parseDelete_thousandAndOneObjects_malformed() {
    assertMalformed(() -> UploadXml.parseDelete(deleteOf(1001)));
  }

  @Test
  void parseDelete_hundredThousandObjects_malformed() {
    assertMalformed(() -> UploadXml.parseDelete(deleteOf(100_000)));
  }

  @Test
  void parseDelete_noObjects_malformed() {
    assertMalformed(() -> UploadXml.parseDelete(bytes("<Delete><Quiet>true</Quiet></Delete>")));
    assertMalformed(() -> UploadXml.parseDelete(bytes("<Delete xmlns=\"" + NS + "\"/>")));
  }

  @Test
  void parseDelete_objectWithoutOrWithTwoKeys_malformed() {
    assertMalformed(() -> UploadXml.parseDelete(
        bytes("<Delete><Object><VersionId>v</VersionId></Object></Delete>")));
    assertMalformed(() -> UploadXml.parseDelete(
        bytes("<Delete><Object><Key>a</Key><Key>b</Key></Object></Delete>")));
  }

  @Test
  void parseDelete_elementInsideKey_malformed() {
    assertMalformed(() -> UploadXml.parseDelete(
        bytes("<Delete><Object><Key>a<b>c</b></Key></Object></Delete>")));
  }

  @Test
  void parseDelete_wrongRootOrForeignNamespace_malformed() {
    assertMalformed(() -> UploadXml.parseDelete(
        bytes("<CompleteMultipartUpload><Object><Key>a</Key></Object></CompleteMultipartUpload>")));
    assertMalformed(() -> UploadXml.parseDelete(
        bytes("<Delete xmlns=\"urn:other\"><Object><Key>a</Key></Object></Delete>")));
  }

  @Test
  void parseDelete_foreignNamespaceChildrenIgnored() {
    DeleteRequest r = UploadXml.parseDelete(bytes("<Delete xmlns:o=\"urn:other\">"
        + "<o:Object><o:Key>evil</o:Key></o:Object><Object><Key>a</Key></Object></Delete>"));
    assertThat(r.keys()).containsExactly("a");
  }

  // ---- parseComplete ----

  @Test
  void parseComplete_sdkShapedWithNamespaceChecksumsAndWhitespace() {
    List<CompletedPart> parts = UploadXml.parseComplete(bytes("""
        <?xml version="1.0" encoding="UTF-8"?>
        <CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
          <Part>
            <ChecksumCRC32>AAAAAA==</ChecksumCRC32>
            <ETag>"a54357aff0632cce46d942af68356b38"</ETag>
            <PartNumber>1</PartNumber>
          </Part>
          <Part>
            <PartNumber>2</PartNumber>
            <ETag>&quot;0c78aef83f66abc1fa1e8477f296d394&quot;</ETag>
            <ChecksumSHA256>x</ChecksumSHA256>
          </Part>
          <Part>
            <PartNumber> 3 </PartNumber>
            <ETag>
              "acbd18db4cc2f85cedef654fccc4a4d8-2"
            </ETag>
          </Part>
        </CompleteMultipartUpload>
        """));
    assertThat(parts).containsExactly(
        new CompletedPart(1, "\"a54357aff0632cce46d942af68356b38\""),
        new CompletedPart(2, "\"0c78aef83f66abc1fa1e8477f296d394\""),
        new CompletedPart(3, "\"acbd18db4cc2f85cedef654fccc4a4d8-2\""));
  }

  @Test
  void parseComplete_curlWithoutNamespaceOrQuotes_keepsDocumentOrder() {
    List<CompletedPart> parts = UploadXml.parseComplete(bytes("<CompleteMultipartUpload>"
        + "<Part><PartNumber>2</PartNumber><ETag>bbb</ETag></Part>"
        + "<Part><PartNumber>1</PartNumber><ETag>aaa</ETag></Part>"
        + "</CompleteMultipartUpload>"));
    // Ordering is the handler's check (InvalidPartOrder), so the parser must not sort.
    assertThat(parts).containsExactly(new CompletedPart(2, "bbb"), new CompletedPart(1, "aaa"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "0", "10001", "-1", "+1", "1.5", "1e3", "99999999999",
      "\u0661"})
  void parseComplete_invalidPartNumber_malformed(String number) {
    assertMalformed(() -> UploadXml.parseComplete(bytes("<CompleteMultipartUpload><Part>"
        + "<PartNumber>" + number + "</PartNumber><ETag>\"e\"</ETag>"
        + "</Part></CompleteMultipartUpload>")));
  }

  @Test
  void parseComplete_partNumberBounds_accepted() {
    assertThat(UploadXml.parseComplete(bytes("<CompleteMultipartUpload>"
        + "<Part><PartNumber>1</PartNumber><ETag>a</ETag></Part>"
        + "<Part><PartNumber>10000</PartNumber><ETag>b</ETag></Part>"
        + "</CompleteMultipartUpload>")))
        .extracting(CompletedPart::partNumber).containsExactly(1, 10000);
  }

  @Test
  void parseComplete_missingPartNumberOrEtag_malformed() {
    assertMalformed(() -> UploadXml.parseComplete(bytes(
        "<CompleteMultipartUpload><Part><ETag>e</ETag></Part></CompleteMultipartUpload>")));
    assertMalformed(() -> UploadXml.parseComplete(bytes(
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part>"
            + "</CompleteMultipartUpload>")));
  }

  @Test
  void parseComplete_noParts_malformed() {
    assertMalformed(() -> UploadXml.parseComplete(bytes("<CompleteMultipartUpload/>")));
    assertMalformed(() -> UploadXml.parseComplete(
        bytes("<CompleteMultipartUpload xmlns=\"" + NS + "\">\n</CompleteMultipartUpload>")));
  }

  @Test
  void parseComplete_tenThousandAndOneParts_malformed() {
    StringBuilder sb = new StringBuilder("<CompleteMultipartUpload>");
    for (int i = 1; i <= 10_001; i++) {
      sb.append("<Part><PartNumber>").append(Math.min(i, 10_000))
          .append("</PartNumber><ETag>e</ETag></Part>");
    }
    assertMalformed(() -> UploadXml.parseComplete(bytes(sb.append("</CompleteMultipartUpload>")
        .toString())));
  }

  @Test
  void parseComplete_wrongRoot_malformed() {
    assertMalformed(() -> UploadXml.parseComplete(bytes(
        "<Delete><Part><PartNumber>1</PartNumber><ETag>e</ETag></Part></Delete>")));
  }

  // ---- hostile input, both parsers ----

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "   ",
      "not xml at all",
      "{\"Objects\":[{\"Key\":\"a\"}]}",
      "<Delete><Object><Key>a</Key></Object>",
      "<Delete><Object><Key>a</Key></Object></Delete><Delete/>",
      "<Delete><Object><Key>&undefined;</Key></Object></Delete>",
      "<Delete><Object><Key>\u0001</Key></Object></Delete>",
      "<Delete><Object><Key>&#0;</Key></Object></Delete>",
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><?xml version=\"1.0\"?><Delete/>",
      // DOCTYPE of any kind is refused, even a harmless internal one.
      "<!DOCTYPE Delete><Delete><Object><Key>a</Key></Object></Delete>",
      "<!DOCTYPE Delete [<!ENTITY k \"a\">]><Delete><Object><Key>&k;</Key></Object></Delete>",
      // XXE: local file and remote fetch.
      "<!DOCTYPE Delete [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
          + "<Delete><Object><Key>&x;</Key></Object></Delete>",
      "<!DOCTYPE Delete [<!ENTITY x SYSTEM \"http://127.0.0.1:1/x\">]>"
          + "<Delete><Object><Key>&x;</Key></Object></Delete>",
      // External parameter entity and external DTD.
      "<!DOCTYPE Delete [<!ENTITY % p SYSTEM \"http://127.0.0.1:1/p.dtd\"> %p;]><Delete/>",
      "<!DOCTYPE Delete SYSTEM \"http://127.0.0.1:1/d.dtd\"><Delete/>",
      // Billion laughs.
      "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
          + "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
          + "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
          + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
          + "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
          + "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
          + "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
          + "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
          + "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
          + "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>"
          + "<Delete><Object><Key>&lol9;</Key></Object></Delete>",
      // XInclude.
      "<Delete xmlns:xi=\"http://www.w3.org/2001/XInclude\"><Object><Key>"
          + "<xi:include href=\"file:///etc/passwd\" parse=\"text\"/></Key></Object></Delete>",
  })
  void parse_hostileOrBrokenInput_malformedQuietly(String body) {
    assertMalformedQuietly(body.getBytes(UTF_8));
  }

  @Test
  void parse_xxeAgainstRealFile_neverReadsIt(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET");
    String body = "<!DOCTYPE Delete [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
        + "<Delete><Object><Key>&x;</Key></Object></Delete>";
    S3Exception e = catchS3(() -> UploadXml.parseDelete(bytes(body)));
    assertThat(e.code()).isEqualTo(S3ErrorCode.MALFORMED_XML);
    assertThat(e.getMessage()).doesNotContain("TOP-SECRET");
  }

  @Test
  void parse_deeplyNestedElements_malformedWithoutStackOverflow() {
    int depth = 200_000;
    String body = "<Delete><Object><Key>" + "<a>".repeat(depth) + "</a>".repeat(depth)
        + "</Key></Object></Delete>";
    assertMalformedQuietly(bytes(body));
  }

  @Test
  void parse_nestingBeyondMaxDepth_malformed() {
    // Unknown elements are skipped, so only the parser's depth limit can refuse this one.
    int depth = XmlReader.MAX_DEPTH;
    String ok = "<j>".repeat(depth - 1) + "</j>".repeat(depth - 1);
    assertThat(UploadXml.parseDelete(
        bytes("<Delete>" + ok + "<Object><Key>a</Key></Object></Delete>")).keys())
        .containsExactly("a");
    String deep = "<j>".repeat(depth) + "</j>".repeat(depth);
    assertMalformedQuietly(bytes("<Delete>" + deep + "<Object><Key>a</Key></Object></Delete>"));
  }

  @Test
  void parse_manyUnknownElements_ignored() {
    String junk = "<Junk/>".repeat(50_000);
    assertThat(UploadXml.parseDelete(
        bytes("<Delete>" + junk + "<Object><Key>a</Key></Object></Delete>")).keys())
        .containsExactly("a");
  }

  @Test
  void parse_utf16Body_accepted() {
    byte[] body = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><Delete><Object><Key>\u00e9</Key>"
        .concat("</Object></Delete>").getBytes(UTF_16);
    assertThat(UploadXml.parseDelete(body).keys()).containsExactly("\u00e9");
  }

  // ---- responses ----

  @Test
  void initiateMultipartUpload_shapeAndEscaping() throws Exception {
    Element root = parse(UploadXml.initiateMultipartUpload("b", "a&b <c>.txt", "u-1"));
    assertRoot(root, "InitiateMultipartUploadResult");
    assertThat(childNames(root)).containsExactly("Bucket", "Key", "UploadId");
    assertThat(text(root, "Bucket")).isEqualTo("b");
    assertThat(text(root, "Key")).isEqualTo("a&b <c>.txt");
    assertThat(text(root, "UploadId")).isEqualTo("u-1");
  }

  @Test
  void completeMultipartUpload_shapeAndQuotedEtag() throws Exception {
    byte[] xml = UploadXml.completeMultipartUpload("http://localhost:9000/b/k", "b", "k",
        "\"3858f62230ac3c915f300c664312c11f-9\"");
    assertThat(new String(xml, UTF_8))
        .contains("<ETag>&quot;3858f62230ac3c915f300c664312c11f-9&quot;</ETag>");
    Element root = parse(xml);
    assertRoot(root, "CompleteMultipartUploadResult");
    assertThat(childNames(root)).containsExactly("Location", "Bucket", "Key", "ETag");
    assertThat(text(root, "Location")).isEqualTo("http://localhost:9000/b/k");
    assertThat(text(root, "ETag")).isEqualTo("\"3858f62230ac3c915f300c664312c11f-9\"");
  }

  @Test
  void completeMultipartUpload_addsMissingQuotes() throws Exception {
    assertThat(text(parse(UploadXml.completeMultipartUpload("l", "b", "k", "abc-2")), "ETag"))
        .isEqualTo("\"abc-2\"");
  }

  @Test
  void listParts_shapeOrderAndValues() throws Exception {
    byte[] xml = UploadXml.listParts(new ListPartsResult("b", "dir/k", "u-1", 1, 3, 2, true,
        List.of(new PartEntry(2, T, "\"e2\"", 5_242_880L), new PartEntry(3, T, "e3", 7)),
        null));
    Element root = parse(xml);
    assertRoot(root, "ListPartsResult");
    assertThat(childNames(root)).containsExactly("Bucket", "Key", "UploadId", "Initiator",
        "Owner", "StorageClass", "PartNumberMarker", "NextPartNumberMarker", "MaxParts",
        "IsTruncated", "Part", "Part");
    assertThat(text(root, "Key")).isEqualTo("dir/k");
    assertThat(text(root, "StorageClass")).isEqualTo("STANDARD");
    assertThat(text(root, "PartNumberMarker")).isEqualTo("1");
    assertThat(text(root, "NextPartNumberMarker")).isEqualTo("3");
    assertThat(text(root, "MaxParts")).isEqualTo("2");
    assertThat(text(root, "IsTruncated")).isEqualTo("true");
    assertPrincipal(child(root, "Initiator"));
    assertPrincipal(child(root, "Owner"));
    List<Element> parts = children(root, "Part");
    assertThat(childNames(parts.get(0)))
        .containsExactly("PartNumber", "LastModified", "ETag", "Size");
    assertThat(text(parts.get(0), "PartNumber")).isEqualTo("2");
    assertThat(text(parts.get(0), "LastModified")).isEqualTo("2024-05-06T07:08:09.123Z");
    assertThat(text(parts.get(0), "ETag")).isEqualTo("\"e2\"");
    assertThat(text(parts.get(0), "Size")).isEqualTo("5242880");
    assertThat(text(parts.get(1), "ETag")).isEqualTo("\"e3\"");
  }

  @Test
  void listParts_noParts() throws Exception {
    Element root = parse(UploadXml.listParts(
        new ListPartsResult("b", "k", "u", 0, 0, 1000, false, null, "STANDARD_IA")));
    assertThat(children(root, "Part")).isEmpty();
    assertThat(text(root, "StorageClass")).isEqualTo("STANDARD_IA");
    assertThat(text(root, "IsTruncated")).isEqualTo("false");
  }

  @Test
  void listMultipartUploads_fullShapeOrderAndValues() throws Exception {
    byte[] xml = UploadXml.listMultipartUploads(new ListUploadsResult("b", "photos/", "/",
        "photos/a", "u-0", "photos/b.jpg", "u-2", 2, true,
        List.of(new UploadEntry("photos/a.jpg", "u-1", T, null),
            new UploadEntry("photos/b.jpg", "u-2", T, "GLACIER")),
        List.of("photos/2024/")));
    Element root = parse(xml);
    assertRoot(root, "ListMultipartUploadsResult");
    assertThat(childNames(root)).containsExactly("Bucket", "KeyMarker", "UploadIdMarker",
        "NextKeyMarker", "NextUploadIdMarker", "Delimiter", "Prefix", "MaxUploads",
        "IsTruncated", "Upload", "Upload", "CommonPrefixes");
    assertThat(text(root, "KeyMarker")).isEqualTo("photos/a");
    assertThat(text(root, "UploadIdMarker")).isEqualTo("u-0");
    assertThat(text(root, "NextKeyMarker")).isEqualTo("photos/b.jpg");
    assertThat(text(root, "NextUploadIdMarker")).isEqualTo("u-2");
    assertThat(text(root, "Delimiter")).isEqualTo("/");
    assertThat(text(root, "Prefix")).isEqualTo("photos/");
    assertThat(text(root, "MaxUploads")).isEqualTo("2");
    assertThat(text(root, "IsTruncated")).isEqualTo("true");
    List<Element> uploads = children(root, "Upload");
    assertThat(childNames(uploads.get(0))).containsExactly("Key", "UploadId", "Initiator",
        "Owner", "StorageClass", "Initiated");
    assertThat(text(uploads.get(0), "Key")).isEqualTo("photos/a.jpg");
    assertThat(text(uploads.get(0), "UploadId")).isEqualTo("u-1");
    assertThat(text(uploads.get(0), "StorageClass")).isEqualTo("STANDARD");
    assertThat(text(uploads.get(0), "Initiated")).isEqualTo("2024-05-06T07:08:09.123Z");
    assertPrincipal(child(uploads.get(0), "Initiator"));
    assertPrincipal(child(uploads.get(0), "Owner"));
    assertThat(text(uploads.get(1), "StorageClass")).isEqualTo("GLACIER");
    assertThat(text(child(root, "CommonPrefixes"), "Prefix")).isEqualTo("photos/2024/");
  }

  @Test
  void listMultipartUploads_minimal_echoesEmptyMarkersAndOmitsNextOnes() throws Exception {
    Element root = parse(UploadXml.listMultipartUploads(new ListUploadsResult("b", null, "",
        null, null, null, null, 1000, false, null, null)));
    assertThat(childNames(root)).containsExactly("Bucket", "KeyMarker", "UploadIdMarker",
        "Prefix", "MaxUploads", "IsTruncated");
    assertThat(text(root, "KeyMarker")).isEmpty();
    assertThat(text(root, "Prefix")).isEmpty();
  }

  @Test
  void deleteResult_notQuiet_listsDeletedThenErrors() throws Exception {
    Element root = parse(UploadXml.deleteResult(List.of("a", "b&c"),
        List.of(new DeleteError("d", "AccessDenied", "Access Denied")), /* quiet= */ false));
    assertRoot(root, "DeleteResult");
    assertThat(childNames(root)).containsExactly("Deleted", "Deleted", "Error");
    List<Element> deleted = children(root, "Deleted");
    assertThat(childNames(deleted.get(1))).containsExactly("Key");
    assertThat(text(deleted.get(1), "Key")).isEqualTo("b&c");
    Element error = child(root, "Error");
    assertThat(childNames(error)).containsExactly("Key", "Code", "Message");
    assertThat(text(error, "Key")).isEqualTo("d");
    assertThat(text(error, "Code")).isEqualTo("AccessDenied");
    assertThat(text(error, "Message")).isEqualTo("Access Denied");
  }

  @Test
  void deleteResult_quiet_listsOnlyErrors() throws Exception {
    Element root = parse(UploadXml.deleteResult(List.of("a", "b"),
        List.of(new DeleteError("c", "InternalError", "boom")), /* quiet= */ true));
    assertThat(childNames(root)).containsExactly("Error");
    Element empty = parse(UploadXml.deleteResult(List.of("a"), List.of(), /* quiet= */ true));
    assertThat(childNames(empty)).isEmpty();
  }

  @Test
  void deleteResult_roundTripsParsedRequestKeys() throws Exception {
    DeleteRequest request = UploadXml.parseDelete(bytes(
        "<Delete><Object><Key> sp&amp;ce </Key></Object><Object><Key>\u00e9</Key></Object>"
            + "</Delete>"));
    Element root = parse(UploadXml.deleteResult(request.keys(), List.of(), request.quiet()));
    assertThat(children(root, "Deleted")).extracting(d -> text(d, "Key"))
        .containsExactly(" sp&ce ", "\u00e9");
  }

  @Test
  void records_rejectInvalidValues() {
    assertThatThrownBy(() -> new PartEntry(0, T, "e", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partNumber: 0");
    assertThatThrownBy(() -> new PartEntry(1, T, "e", -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("size: -1 (expected: >= 0)");
    assertThatThrownBy(() -> new ListPartsResult("b", "k", "u", 0, 0, -1, false, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxParts");
    assertThatThrownBy(() -> new ListUploadsResult(null, null, null, null, null, null, null, 0,
        false, null, null)).isInstanceOf(NullPointerException.class).hasMessage("bucket");
    assertThatThrownBy(() -> new DeleteError("k", null, "m"))
        .isInstanceOf(NullPointerException.class).hasMessage("code");
  }

  // ---- helpers ----

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static byte[] deleteOf(int n) {
    StringBuilder sb = new StringBuilder("<Delete xmlns=\"" + NS + "\">");
    for (int i = 0; i < n; i++) {
      sb.append("<Object><Key>k").append(i).append("</Key></Object>");
    }
    return bytes(sb.append("</Delete>").toString());
  }

  private static S3Exception catchS3(ThrowingCallable call) {
    Throwable t = catchThrowable(call);
    assertThat(t).isInstanceOf(S3Exception.class);
    return (S3Exception) t;
  }

  private static void assertMalformed(ThrowingCallable call) {
    S3Exception e = catchS3(call);
    assertThat(e.code()).isEqualTo(S3ErrorCode.MALFORMED_XML);
    // Parser internals (line numbers, entity names, file contents) never reach the client.
    assertThat(e.getMessage()).isEqualTo(S3ErrorCode.MALFORMED_XML.defaultMessage());
  }

  /** Both parsers refuse {@code body} and nothing is printed to stderr or stdout. */
  private static void assertMalformedQuietly(byte[] body) {
    List<Consumer<byte[]>> parsers = List.of(UploadXml::parseDelete, UploadXml::parseComplete);
    PrintStream err = System.err;
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream sink = new PrintStream(captured, true, UTF_8);
    System.setErr(sink);
    System.setOut(sink);
    try {
      for (Consumer<byte[]> parser : parsers) {
        assertMalformed(() -> parser.accept(body));
      }
    } finally {
      System.setErr(err);
      System.setOut(out);
    }
    assertThat(captured.toString(UTF_8)).isEmpty();
  }

  private static Element parse(byte[] xml) throws Exception {
    assertThat(new String(xml, UTF_8)).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement();
  }

  private static void assertRoot(Element root, String name) {
    assertThat(root.getLocalName()).isEqualTo(name);
    assertThat(root.getNamespaceURI()).isEqualTo(NS);
  }

  private static void assertPrincipal(Element e) {
    assertThat(childNames(e)).containsExactly("ID", "DisplayName");
    assertThat(text(e, "ID")).isEqualTo("strata");
    assertThat(text(e, "DisplayName")).isEqualTo("strata");
  }

  private static List<String> childNames(Element parent) {
    List<String> names = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeType() == Node.ELEMENT_NODE) {
        // Children inherit the root's default namespace.
        assertThat(n.getNamespaceURI()).isEqualTo(NS);
        names.add(n.getLocalName());
      } else {
        assertThat(n.getNodeType()).as("no stray text").isNotEqualTo(Node.TEXT_NODE);
      }
    }
    return names;
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeType() == Node.ELEMENT_NODE && name.equals(n.getLocalName())) {
        out.add((Element) n);
      }
    }
    return out;
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    assertThat(found).as(name).hasSize(1);
    return found.get(0);
  }

  private static String text(Element parent, String name) {
    return child(parent, name).getTextContent();
  }
}
