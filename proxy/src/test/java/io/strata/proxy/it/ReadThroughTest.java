package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** GET, HEAD, Range, conditionals, listings and errors through Strata with the real AWS SDK and raw HTTP. */
class ReadThroughTest {

  @TempDir static Path dir;
  static StrataHarness strata;
  static byte[] big;

  @BeforeAll
  static void start() throws Exception {
    strata = new StrataHarness(dir);
    big = new byte[3 * 1024 * 1024 + 12345];
    new Random(7).nextBytes(big);
    strata.put("data/big.bin", big, Map.of("well", "w-1", "curve", "GR"), "application/vnd.apache.parquet");
  }

  @AfterAll
  static void stop() throws Exception {
    strata.close();
  }

  @AfterEach
  void consistent() throws Exception {
    strata.assertCacheConsistent();
  }

  @Test
  void getObject_wholeObject_matchesUpstreamBytesAndHeaders() {
    ResponseBytes<GetObjectResponse> got =
        strata.client().getObjectAsBytes(b -> b.bucket(StrataHarness.BUCKET).key("data/big.bin"));
    HeadObjectResponse upstream = strata.direct.headObject(b -> b.bucket(StrataHarness.BUCKET).key("data/big.bin"));

    assertThat(got.asByteArray()).isEqualTo(big);
    assertThat(got.response().eTag()).isEqualTo(upstream.eTag());
    assertThat(got.response().contentLength()).isEqualTo(big.length);
    assertThat(got.response().contentType()).isEqualTo("application/vnd.apache.parquet");
    assertThat(got.response().metadata()).containsEntry("well", "w-1").containsEntry("curve", "GR");
    assertThat(got.response().lastModified()).isEqualTo(upstream.lastModified());
    assertThat(got.response().acceptRanges()).isEqualTo("bytes");
  }

  @Test
  void headObject_always_hasContentLengthAndNoBody() throws Exception {
    HttpResponse<byte[]> head = strata.raw("HEAD", "/logs/data/big.bin");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("content-length")).hasValue(Integer.toString(big.length));
    assertThat(head.headers().firstValue("x-amz-request-id")).isPresent();
    assertThat(head.headers().firstValue("etag")).isPresent();
    assertThat(head.body()).isEmpty();
  }

  @Test
  void getObject_rangeForms_answerAsS3() throws Exception {
    int size = big.length;
    HttpResponse<byte[]> first = strata.raw("GET", "/logs/data/big.bin", "Range", "bytes=0-0");
    assertThat(first.statusCode()).isEqualTo(206);
    assertThat(first.headers().firstValue("content-range")).hasValue("bytes 0-0/" + size);
    assertThat(first.body()).containsExactly(big[0]);

    HttpResponse<byte[]> suffix = strata.raw("GET", "/logs/data/big.bin", "Range", "bytes=-3");
    assertThat(suffix.statusCode()).isEqualTo(206);
    assertThat(suffix.headers().firstValue("content-range")).hasValue("bytes " + (size - 3) + "-" + (size - 1) + "/" + size);
    assertThat(suffix.body()).containsExactly(big[size - 3], big[size - 2], big[size - 1]);

    HttpResponse<byte[]> open = strata.raw("GET", "/logs/data/big.bin", "Range", "bytes=" + (size - 10) + "-");
    assertThat(open.statusCode()).isEqualTo(206);
    assertThat(open.body()).hasSize(10);

    HttpResponse<byte[]> clipped = strata.raw("GET", "/logs/data/big.bin", "Range", "bytes=" + (size - 5) + "-" + (size + 100));
    assertThat(clipped.statusCode()).isEqualTo(206);
    assertThat(clipped.headers().firstValue("content-length")).hasValue("5");

    HttpResponse<byte[]> past = strata.raw("GET", "/logs/data/big.bin", "Range", "bytes=" + size + "-");
    assertThat(past.statusCode()).isEqualTo(416);
    assertThat(past.headers().firstValue("content-range")).hasValue("bytes */" + size);
    assertThat(new String(past.body(), StandardCharsets.UTF_8)).contains("<Code>InvalidRange</Code>");
  }

  @Test
  void getObject_conditionals_give304And412() throws Exception {
    String etag = strata.raw("HEAD", "/logs/data/big.bin").headers().firstValue("etag").orElseThrow();
    HttpResponse<byte[]> notModified = strata.raw("GET", "/logs/data/big.bin", "If-None-Match", etag);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();

    HttpResponse<byte[]> failed = strata.raw("GET", "/logs/data/big.bin", "If-Match", "\"0000\"");
    assertThat(failed.statusCode()).isEqualTo(412);
    assertThat(new String(failed.body(), StandardCharsets.UTF_8)).contains("<Code>PreconditionFailed</Code>");

    HttpResponse<byte[]> since = strata.raw("HEAD", "/logs/data/big.bin", "If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT");
    assertThat(since.statusCode()).isEqualTo(304);
    HttpResponse<byte[]> unmodified = strata.raw("HEAD", "/logs/data/big.bin", "If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT");
    assertThat(unmodified.statusCode()).isEqualTo(412);
  }

  @Test
  void errors_areS3Xml_withRightCodes() throws Exception {
    HttpResponse<byte[]> missing = strata.raw("GET", "/logs/no/such/key");
    assertThat(missing.statusCode()).isEqualTo(404);
    String xml = new String(missing.body(), StandardCharsets.UTF_8);
    assertThat(xml).contains("<Code>NoSuchKey</Code>").contains("<Key>no/such/key</Key>").doesNotContain("Exception");
    assertThat(missing.headers().firstValue("x-amz-request-id")).isPresent();

    HttpResponse<byte[]> headMissing = strata.raw("HEAD", "/logs/no/such/key");
    assertThat(headMissing.statusCode()).isEqualTo(404);
    assertThat(headMissing.body()).isEmpty();

    HttpResponse<byte[]> noBucket = strata.raw("GET", "/no-such-bucket/key");
    assertThat(noBucket.statusCode()).isEqualTo(404);
    assertThat(new String(noBucket.body(), StandardCharsets.UTF_8)).contains("<Code>NoSuchBucket</Code>");

    HttpResponse<byte[]> unsupported = strata.raw("GET", "/logs/data/big.bin?acl");
    assertThat(unsupported.statusCode()).isEqualTo(501);
    assertThat(new String(unsupported.body(), StandardCharsets.UTF_8)).contains("<Code>NotImplemented</Code>");

    assertThatThrownBy(() -> strata.client().headObject(b -> b.bucket(StrataHarness.BUCKET).key("nope")))
        .isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void getObject_responseOverrides_replaceHeaders_andVersionIdIsRefused() throws Exception {
    HttpResponse<byte[]> got =
        strata.raw("GET", "/logs/data/big.bin?response-content-type=text%2Fcsv&response-content-disposition=attachment%3B%20filename%3Dgr.csv",
            "Range", "bytes=0-3");
    assertThat(got.statusCode()).isEqualTo(206);
    assertThat(got.headers().firstValue("content-type")).hasValue("text/csv");
    assertThat(got.headers().firstValue("content-disposition")).hasValue("attachment; filename=gr.csv");

    // a specific version cannot be served yet: refusing beats serving the current one instead
    HttpResponse<byte[]> version = strata.raw("GET", "/logs/data/big.bin?versionId=3HL4kqtJlcpXroDTDmJ");
    assertThat(version.statusCode()).isEqualTo(501);
  }

  @Test
  void listObjectsV2_encodingTypeUrl_inAnyCase() throws Exception {
    strata.put("enc/a b+c.bin", new byte[] {1});
    HttpResponse<byte[]> upper = strata.raw("GET", "/logs?list-type=2&prefix=enc/&encoding-type=URL");
    assertThat(upper.statusCode()).isEqualTo(200);
    assertThat(new String(upper.body(), StandardCharsets.UTF_8)).contains("<Key>enc/a+b%2Bc.bin</Key>");
  }

  @Test
  void keys_withAwkwardCharacters_roundTrip() throws Exception {
    List<String> keys = List.of("a b/c d.parquet", "ünï/cödé/日本.bin", "plus+sign/a+b", "deep/a/b/c/d/e/f/g.bin", "pct%20literal", "slash%2Fencoded");
    for (int i = 0; i < keys.size(); i++) {
      strata.put(keys.get(i), ("content-" + i).getBytes(StandardCharsets.UTF_8));
    }
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      byte[] got = strata.client().getObjectAsBytes(b -> b.bucket(StrataHarness.BUCKET).key(key)).asByteArray();
      assertThat(new String(got, StandardCharsets.UTF_8)).as(key).isEqualTo("content-" + i);
    }
    // %2F in the path decodes to '/', as S3 does
    String encoded = "/logs/" + URLEncoder.encode("deep/a/b/c/d/e/f/g.bin", StandardCharsets.UTF_8);
    assertThat(strata.raw("GET", encoded).statusCode()).isEqualTo(200);
  }

  @Test
  void virtualHostStyle_selectsBucketFromHost() throws Exception {
    int port = strata.endpoint().getPort();
    RawHttp.Response got = strata.rawWithHost("GET", "/data/big.bin", "logs.localhost:" + port, "Range", "bytes=0-9");
    assertThat(got.status()).isEqualTo(206);
    assertThat(got.body()).isEqualTo(java.util.Arrays.copyOf(big, 10));
  }

  @Test
  void listObjectsV2_matchesUpstream_withPrefixDelimiterAndPages() {
    for (int i = 0; i < 25; i++) {
      strata.put("list/well-" + (i % 5) + "/curve-" + i + ".parquet", new byte[] {(byte) i});
    }
    List<String> viaStrata = new ArrayList<>();
    strata.client().listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(StrataHarness.BUCKET).prefix("list/").maxKeys(7).build())
        .contents().forEach(o -> viaStrata.add(o.key() + "|" + o.size() + "|" + o.eTag()));
    List<String> direct = new ArrayList<>();
    strata.direct.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(StrataHarness.BUCKET).prefix("list/").build())
        .contents().forEach(o -> direct.add(o.key() + "|" + o.size() + "|" + o.eTag()));
    assertThat(viaStrata).hasSize(25).isEqualTo(direct);

    var delimited = strata.client().listObjectsV2(b -> b.bucket(StrataHarness.BUCKET).prefix("list/").delimiter("/"));
    assertThat(delimited.commonPrefixes()).extracting(p -> p.prefix())
        .containsExactly("list/well-0/", "list/well-1/", "list/well-2/", "list/well-3/", "list/well-4/");
    assertThat(delimited.contents()).isEmpty();

    var after = strata.client().listObjectsV2(b -> b.bucket(StrataHarness.BUCKET).prefix("list/well-4/").startAfter("list/well-4/curve-19.parquet"));
    assertThat(after.contents()).extracting(S3Object::key)
        .containsExactly("list/well-4/curve-24.parquet", "list/well-4/curve-4.parquet", "list/well-4/curve-9.parquet");
  }

  @Test
  void listObjectsV1_pagesWithMarkers_matchUpstream() {
    for (int i = 0; i < 12; i++) {
      strata.put("v1/dir-" + (i % 3) + "/file-" + i + ".bin", new byte[] {(byte) i});
    }
    List<String> viaStrata = listV1(strata.client(), 5);
    assertThat(viaStrata).hasSize(12).isEqualTo(listV1(strata.direct, 1000));

    var delimited = strata.client().listObjects(b -> b.bucket(StrataHarness.BUCKET).prefix("v1/").delimiter("/").maxKeys(2));
    assertThat(delimited.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("v1/dir-0/", "v1/dir-1/");
    assertThat(delimited.isTruncated()).isTrue();
    assertThat(delimited.nextMarker()).isEqualTo("v1/dir-1/");
    var rest = strata.client().listObjects(b -> b.bucket(StrataHarness.BUCKET).prefix("v1/").delimiter("/").marker("v1/dir-1/"));
    assertThat(rest.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("v1/dir-2/");
  }

  /** Every key under v1/ by ListObjects v1 pages, resumed by the last key as a marker. */
  private static List<String> listV1(software.amazon.awssdk.services.s3.S3Client s3, int pageSize) {
    List<String> keys = new ArrayList<>();
    String marker = null;
    while (true) {
      String from = marker;
      var page = s3.listObjects(b -> b.bucket(StrataHarness.BUCKET).prefix("v1/").maxKeys(pageSize).marker(from));
      page.contents().forEach(o -> keys.add(o.key() + "|" + o.eTag()));
      if (!page.isTruncated()) {
        return keys;
      }
      marker = page.contents().get(page.contents().size() - 1).key();
    }
  }

  @Test
  void bucketOperations_answer() throws Exception {
    assertThat(strata.client().listBuckets().buckets()).extracting(b -> b.name()).contains("logs");
    strata.client().headBucket(b -> b.bucket("logs"));
    HttpResponse<byte[]> location = strata.raw("GET", "/logs?location");
    assertThat(location.statusCode()).isEqualTo(200);
    assertThat(new String(location.body(), StandardCharsets.UTF_8)).contains("LocationConstraint");
  }
}
