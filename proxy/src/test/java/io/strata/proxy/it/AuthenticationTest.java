package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.proxy.testing.CaptureServer;
import io.strata.proxy.testing.TestSigner;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Client authentication end to end: real AWS SDK clients (header auth, presigned URLs, signed
 * streaming uploads) against Strata in front of a real S3 server, and hand-made requests tampered
 * after signing, each answered with S3's exact error.
 */
class AuthenticationTest {

  private static final String KEY = "auth/object.bin";
  private static final byte[] OBJECT = random(3 << 20, 1);

  @TempDir static Path dir;
  static StrataHarness strata;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    strata = new StrataHarness(dir.resolve("main"), Map.of("strata.auth.credentials",
        List.of(Map.of("access-key", "team", "secret-key", "team-secret"))));
    strata.put(KEY, OBJECT);
  }

  @AfterAll
  static void stop() throws Exception {
    strata.close();
  }

  // --- real SDK clients ---

  @Test
  void sdk_headerAuth_readsRangesAndWritesWithSignedStreamingBodies() throws Exception {
    byte[] got = strata.client().getObjectAsBytes(b -> b.bucket("logs").key(KEY).range("bytes=1000-2999")).asByteArray();
    assertThat(got).isEqualTo(java.util.Arrays.copyOfRange(OBJECT, 1000, 3000));
    byte[] written = random(300_000, 2);
    // over plain http the SDK signs every chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER)
    strata.client().putObject(b -> b.bucket("logs").key("auth/written.bin"), RequestBody.fromBytes(written));
    assertThat(strata.client().getObjectAsBytes(b -> b.bucket("logs").key("auth/written.bin")).asByteArray()).isEqualTo(written);
  }

  @Test
  void sdk_furtherKeyPair_fromCredentialsList_isAccepted() {
    try (S3Client team = client("team", "team-secret", b -> {})) {
      assertThat(team.headObject(b -> b.bucket("logs").key(KEY)).contentLength()).isEqualTo(OBJECT.length);
    }
  }

  @Test
  void sdk_wrongSecret_isSignatureDoesNotMatch() {
    try (S3Client wrong = client("client", "not-the-secret", b -> {})) {
      assertS3Error(() -> wrong.getObjectAsBytes(b -> b.bucket("logs").key(KEY)), 403, "SignatureDoesNotMatch");
    }
  }

  @Test
  void sdk_unknownAccessKey_isInvalidAccessKeyId() {
    try (S3Client stranger = client("stranger", "whatever", b -> {})) {
      assertS3Error(() -> stranger.listObjectsV2(b -> b.bucket("logs")), 403, "InvalidAccessKeyId");
    }
  }

  @Test
  void presigner_getAndPut_work_andTheUrlIsBoundToItsObject() throws Exception {
    URL get;
    URL put;
    try (S3Presigner presigner = presigner()) {
      get = presigner.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
          .getObjectRequest(g -> g.bucket("logs").key(KEY))).url();
      put = presigner.presignPutObject(r -> r.signatureDuration(Duration.ofMinutes(5))
          .putObjectRequest(p -> p.bucket("logs").key("auth/presigned-put.txt"))).url();
    }
    HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(get.toURI()).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.body()).isEqualTo(OBJECT);

    HttpResponse<String> stored = http.send(HttpRequest.newBuilder(put.toURI())
        .PUT(HttpRequest.BodyPublishers.ofString("uploaded with a presigned URL")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    assertThat(strata.client().getObjectAsBytes(b -> b.bucket("logs").key("auth/presigned-put.txt")).asUtf8String())
        .isEqualTo("uploaded with a presigned URL");

    URI otherKey = URI.create(get.toString().replace("/auth/object.bin", "/auth/written.bin"));
    HttpResponse<String> moved = http.send(HttpRequest.newBuilder(otherKey).build(), HttpResponse.BodyHandlers.ofString());
    assertError(moved, 403, "SignatureDoesNotMatch");
  }

  @Test
  void presigned_expired_isAccessDenied_andOverAWeek_isAuthorizationQueryParametersError() throws Exception {
    URI object = URI.create(strata.endpoint() + "/logs/" + KEY);
    URI expired = TestSigner.HARNESS.presign("GET", object, Duration.ofHours(1), Instant.now().minus(Duration.ofHours(2)));
    HttpResponse<String> late = http.send(HttpRequest.newBuilder(expired).build(), HttpResponse.BodyHandlers.ofString());
    assertError(late, 403, "AccessDenied");
    assertThat(late.body()).contains("Request has expired").contains("<XAmzExpires>3600</XAmzExpires>");

    URI valid = TestSigner.HARNESS.presign("GET", object, Duration.ofHours(1), Instant.now());
    URI eightDays = URI.create(valid.toString().replace("X-Amz-Expires=3600", "X-Amz-Expires=691200"));
    HttpResponse<String> tooLong = http.send(HttpRequest.newBuilder(eightDays).build(), HttpResponse.BodyHandlers.ofString());
    assertError(tooLong, 400, "AuthorizationQueryParametersError");
    assertThat(tooLong.body()).contains("604800");
  }

  // --- hand-made requests, tampered after signing ---

  @Test
  void tamperedSignedHeader_isSignatureDoesNotMatch_withStringToSignAndCanonicalRequest() throws Exception {
    URI uri = URI.create(strata.endpoint() + "/logs/" + KEY);
    Map<String, String> signed = sign("GET", uri, Map.of("Range", "bytes=0-99"));
    HttpResponse<String> ok = send("GET", uri, signed, "Range", "bytes=0-99");
    assertThat(ok.statusCode()).isEqualTo(206);

    HttpResponse<String> tampered = send("GET", uri, signed, "Range", "bytes=0-199");
    assertError(tampered, 403, "SignatureDoesNotMatch");
    assertThat(tampered.body().replace("&#10;", "\n")).contains("<StringToSign>AWS4-HMAC-SHA256\n").contains("<CanonicalRequest>GET\n/logs/auth/object.bin\n")
        .contains("range:bytes=0-199").contains("<AWSAccessKeyId>client</AWSAccessKeyId>");
  }

  @Test
  void tamperedQueryOrPath_isSignatureDoesNotMatch() throws Exception {
    URI list = URI.create(strata.endpoint() + "/logs?list-type=2&prefix=auth%2F");
    Map<String, String> signed = sign("GET", list, Map.of());
    assertThat(send("GET", list, signed).statusCode()).isEqualTo(200);
    assertError(send("GET", URI.create(strata.endpoint() + "/logs?list-type=2&prefix=other%2F"), signed), 403, "SignatureDoesNotMatch");
    assertError(send("GET", URI.create(strata.endpoint() + "/logs?list-type=2&prefix=auth%2F&max-keys=1"), signed), 403,
        "SignatureDoesNotMatch");

    URI object = URI.create(strata.endpoint() + "/logs/" + KEY);
    Map<String, String> forObject = sign("GET", object, Map.of());
    assertError(send("GET", URI.create(strata.endpoint() + "/logs/auth/written.bin"), forObject), 403, "SignatureDoesNotMatch");
    assertError(send("DELETE", object, forObject), 403, "SignatureDoesNotMatch");
  }

  @Test
  void changedBody_underSignedPayloadHash_isXAmzContentSHA256Mismatch_andNothingStored() throws Exception {
    URI uri = URI.create(strata.endpoint() + "/logs/auth/signed-body.txt");
    byte[] body = "the body that was signed".getBytes(StandardCharsets.UTF_8);
    Map<String, String> signed = TestSigner.HARNESS.signPayload("PUT", uri, Map.of(), body);
    assertThat(signed).containsEntry("x-amz-content-sha256", sha256Hex(body));
    HttpResponse<String> forged = http.send(builder(uri, signed)
        .PUT(HttpRequest.BodyPublishers.ofString("a body that was not signed")).build(), HttpResponse.BodyHandlers.ofString());
    assertError(forged, 400, "XAmzContentSHA256Mismatch");
    assertError(send("GET", uri, sign("GET", uri, Map.of())), 404, "NoSuchKey");

    HttpResponse<String> honest = http.send(builder(uri, signed).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(honest.statusCode()).as(honest.body()).isEqualTo(200);
  }

  @Test
  void skewedClock_isRequestTimeTooSkewed_unknownKey_isInvalidAccessKeyId() throws Exception {
    URI uri = URI.create(strata.endpoint() + "/logs/" + KEY);
    Map<String, String> old = TestSigner.HARNESS.sign("GET", uri, Map.of(), Instant.now().minus(Duration.ofMinutes(20)));
    HttpResponse<String> skewed = send("GET", uri, old);
    assertError(skewed, 403, "RequestTimeTooSkewed");
    assertThat(skewed.body()).contains("<MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>");
    // within the 15-minute window is fine
    assertThat(send("GET", uri, TestSigner.HARNESS.sign("GET", uri, Map.of(), Instant.now().minus(Duration.ofMinutes(10))))
        .statusCode()).isEqualTo(200);

    Map<String, String> stranger = new TestSigner("AKIASTRANGER", "secret", "us-east-1").sign("GET", uri, Map.of());
    HttpResponse<String> unknown = send("GET", uri, stranger);
    assertError(unknown, 403, "InvalidAccessKeyId");
    assertThat(unknown.body()).contains("<AWSAccessKeyId>AKIASTRANGER</AWSAccessKeyId>");
  }

  @Test
  void unsigned_andSigV2_areAccessDenied_evenForHeadWithoutBody() throws Exception {
    URI uri = URI.create(strata.endpoint() + "/logs/" + KEY);
    HttpResponse<String> anonymous = send("GET", uri, Map.of());
    assertError(anonymous, 403, "AccessDenied");
    assertThat(anonymous.body()).contains("Anonymous access is not allowed");

    HttpResponse<String> v2 = send("GET", uri, Map.of("Authorization", "AWS client:bm90IGEgc2lnbmF0dXJl",
        "Date", "Wed, 25 Nov 2026 08:00:00 GMT"));
    assertError(v2, 403, "AccessDenied");
    assertThat(v2.body()).contains("Signature Version 2 is not supported");

    HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(403);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void signedStreamingUpload_replayedIntact_isStored_butAnyAlteredChunkIsRefused() throws Exception {
    for (boolean trailer : new boolean[] {false, true}) {
      String key = "auth/streamed-" + trailer + ".bin";
      byte[] payload = random(200_000, trailer ? 4 : 3);
      CaptureServer.Captured sent = captureSdkPut(key, payload, trailer);
      assertThat(sent.headers().get("x-amz-content-sha256"))
          .isEqualTo(trailer ? "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" : "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");

      byte[] altered = sent.body().clone();
      int firstData = indexOf(altered, "\r\n".getBytes(StandardCharsets.US_ASCII)) + 2;
      altered[firstData + 1000] ^= 1;
      assertError(replay(sent, altered), 403, "SignatureDoesNotMatch");
      URI object = URI.create(strata.endpoint() + "/logs/" + key);
      assertError(send("GET", object, sign("GET", object, Map.of())), 404, "NoSuchKey");

      byte[] resigned = new String(sent.body(), StandardCharsets.ISO_8859_1)
          .replaceFirst("chunk-signature=[0-9a-f]{64}", "chunk-signature=" + "0".repeat(64)).getBytes(StandardCharsets.ISO_8859_1);
      assertError(replay(sent, resigned), 403, "SignatureDoesNotMatch");

      RawHttp.Response intact = replay(sent, sent.body());
      assertThat(intact.status()).as(intact.text()).isEqualTo(200);
      assertThat(strata.client().getObjectAsBytes(b -> b.bucket("logs").key(key)).asByteArray()).isEqualTo(payload);
    }
  }

  @Test
  void signedTrailer_alteredChecksum_isSignatureDoesNotMatch() throws Exception {
    byte[] payload = random(70_000, 5);
    CaptureServer.Captured sent = captureSdkPut("auth/trailer.bin", payload, true);
    String body = new String(sent.body(), StandardCharsets.ISO_8859_1);
    String altered = body.replaceFirst("(x-amz-checksum-[a-z0-9]+:)[A-Za-z0-9+/=]+", "$1AAAAAA==");
    assertThat(altered).isNotEqualTo(body);
    assertError(replay(sent, altered.getBytes(StandardCharsets.ISO_8859_1)), 403, "SignatureDoesNotMatch");
  }

  @Test
  void offline_signaturesAreStillChecked_locally() throws Exception {
    strata.client().getObjectAsBytes(b -> b.bucket("logs").key(KEY)); // cached
    strata.assertCacheConsistent();
    strata.network.cut();
    try {
      assertThat(strata.client().getObjectAsBytes(b -> b.bucket("logs").key(KEY)).asByteArray()).isEqualTo(OBJECT);
      try (S3Client wrong = client("client", "not-the-secret", b -> {})) {
        assertS3Error(() -> wrong.getObjectAsBytes(b -> b.bucket("logs").key(KEY)), 403, "SignatureDoesNotMatch");
      }
    } finally {
      strata.network.restore();
    }
  }

  @Test
  void curlAwsSigv4_withoutContentSha256Header_isAccepted() throws Exception {
    // curl's --aws-sigv4 (7.75+) signs the empty payload's hash without sending the header
    Path curl = Path.of("/usr/bin/curl");
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(curl), "curl is not installed");
    Process p = new ProcessBuilder(curl.toString(), "-s", "-o", "/dev/null", "-w", "%{http_code}",
        "--aws-sigv4", "aws:amz:us-east-1:s3", "--user", "client:client-secret",
        "-r", "0-99", strata.endpoint() + "/logs/" + KEY).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).isZero();
    assertThat(out).isEqualTo("206");
  }

  // --- settings that change who gets in ---

  @Test
  void bucketAllowList_otherBucketsAreAccessDenied_andNotListed() throws Exception {
    try (StrataHarness limited = new StrataHarness(dir.resolve("allow"), Map.of("strata.buckets", "logs"))) {
      limited.direct.createBucket(b -> b.bucket("secrets"));
      limited.direct.putObject(b -> b.bucket("secrets").key("k"), RequestBody.fromString("hidden"));
      assertS3Error(() -> limited.client().getObjectAsBytes(b -> b.bucket("secrets").key("k")), 403, "AccessDenied");
      assertS3Error(() -> limited.client().listObjectsV2(b -> b.bucket("secrets")), 403, "AccessDenied");
      assertS3Error(() -> limited.client().putObject(b -> b.bucket("secrets").key("new"), RequestBody.fromString("x")), 403,
          "AccessDenied");
      assertThat(limited.client().listBuckets().buckets()).extracting(b -> b.name()).containsExactly("logs");
      assertThat(limited.client().listObjectsV2(b -> b.bucket("logs")).keyCount()).isZero();
    }
  }

  @Test
  void anonymousEnabled_unsignedServed_butSignaturesStillVerified() throws Exception {
    try (StrataHarness open = new StrataHarness(dir.resolve("anon"), Map.of("strata.auth.anonymous", "true"))) {
      open.put("public.txt", "open data".getBytes(StandardCharsets.UTF_8));
      URI uri = URI.create(open.endpoint() + "/logs/public.txt");
      HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(unsigned.statusCode()).isEqualTo(200);
      assertThat(unsigned.body()).isEqualTo("open data");
      Map<String, String> wrong = new TestSigner("client", "wrong", "us-east-1").sign("GET", uri, Map.of());
      HttpRequest.Builder b = HttpRequest.newBuilder(uri);
      wrong.forEach(b::header);
      assertError(http.send(b.build(), HttpResponse.BodyHandlers.ofString()), 403, "SignatureDoesNotMatch");
      HttpResponse<String> streamingUnsigned = http.send(HttpRequest.newBuilder(uri)
          .header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
          .PUT(HttpRequest.BodyPublishers.ofString("0;chunk-signature=" + "0".repeat(64) + "\r\n\r\n")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertError(streamingUnsigned, 400, "InvalidRequest");
    }
  }

  @Test
  void expectedRegion_configured_otherRegionsAreAuthorizationHeaderMalformed() throws Exception {
    try (StrataHarness regional = new StrataHarness(dir.resolve("region"), Map.of("strata.auth.region", "eu-north-1"))) {
      URI uri = URI.create(regional.endpoint() + "/logs");
      HttpRequest.Builder wrong = HttpRequest.newBuilder(URI.create(uri + "?list-type=2"));
      TestSigner.HARNESS.sign("GET", URI.create(uri + "?list-type=2"), Map.of()).forEach(wrong::header);
      HttpResponse<String> refused = http.send(wrong.build(), HttpResponse.BodyHandlers.ofString());
      assertError(refused, 400, "AuthorizationHeaderMalformed");
      assertThat(refused.body()).contains("<Region>eu-north-1</Region>");
      HttpRequest.Builder right = HttpRequest.newBuilder(URI.create(uri + "?list-type=2"));
      new TestSigner("client", "client-secret", "eu-north-1").sign("GET", URI.create(uri + "?list-type=2"), Map.of())
          .forEach(right::header);
      assertThat(http.send(right.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
  }

  // --- helpers ---

  /** Lets the SDK sign a streaming upload against a capture server, to replay (and alter) it. */
  private static CaptureServer.Captured captureSdkPut(String key, byte[] payload, boolean trailer) throws Exception {
    try (CaptureServer wire = new CaptureServer();
        S3Client s3 = S3Client.builder()
            .endpointOverride(URI.create(wire.endpoint()))
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(TestSigner.HARNESS.accessKey(), TestSigner.HARNESS.secretKey())))
            .requestChecksumCalculation(trailer ? RequestChecksumCalculation.WHEN_SUPPORTED : RequestChecksumCalculation.WHEN_REQUIRED)
            .httpClient(ApacheHttpClient.create())
            .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
            .build()) {
      s3.putObject(b -> b.bucket("logs").key(key), RequestBody.fromBytes(payload));
      return wire.take();
    }
  }

  /** Sends a captured request again, byte for byte apart from its body, over a raw socket. */
  private static RawHttp.Response replay(CaptureServer.Captured sent, byte[] body) throws Exception {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes((sent.method() + " " + sent.target() + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1));
    for (Map.Entry<String, String> h : sent.headers().entrySet()) {
      if (!h.getKey().equals("transfer-encoding") && !h.getKey().equals("content-length") && !h.getKey().equals("expect")) {
        request.writeBytes((h.getKey() + ": " + h.getValue() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    request.writeBytes(("content-length: " + body.length + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    request.writeBytes(body);
    return RawHttp.exchange(strata.endpoint(), request.toByteArray(), false);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static Map<String, String> sign(String method, URI uri, Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putAll(TestSigner.HARNESS.sign(method, uri, headers));
    return all;
  }

  private HttpRequest.Builder builder(URI uri, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    headers.forEach(b::header);
    return b;
  }

  /** Sends with {@code headers}, then {@code overrides} (name, value pairs) replacing any of them. */
  private HttpResponse<String> send(String method, URI uri, Map<String, String> headers, String... overrides) throws Exception {
    Map<String, String> all = new LinkedHashMap<>(headers);
    for (int i = 0; i + 1 < overrides.length; i += 2) {
      all.put(overrides[i], overrides[i + 1]);
    }
    return http.send(builder(uri, all).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> response, int status, String code) {
    assertError(response.statusCode(), response.body(), status, code);
  }

  private static void assertError(RawHttp.Response response, int status, String code) {
    assertError(response.status(), response.text(), status, code);
  }

  private static void assertError(int actualStatus, String body, int status, String code) {
    assertThat(actualStatus).as(body).isEqualTo(status);
    assertThat(body).contains("<Code>" + code + "</Code>");
  }

  private static void assertS3Error(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status, String code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.statusCode()).isEqualTo(status);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
    });
  }

  private static S3Client client(String accessKey, String secretKey, java.util.function.Consumer<S3ClientBuilder> customize) {
    S3ClientBuilder b = S3Client.builder()
        .endpointOverride(strata.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)));
    customize.accept(b);
    return b.build();
  }

  private static S3Presigner presigner() {
    return S3Presigner.builder()
        .endpointOverride(strata.endpoint())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(TestSigner.HARNESS.accessKey(), TestSigner.HARNESS.secretKey())))
        .build();
  }

  private static String sha256Hex(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
