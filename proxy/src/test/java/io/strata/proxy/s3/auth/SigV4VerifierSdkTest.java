package io.strata.proxy.s3.auth;

import io.strata.proxy.testing.CaptureServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Verifies requests signed by the real AWS SDK for Java v2 ({@link S3Client} and
 * {@link S3Presigner}) exactly as they arrived on a socket, and tampered copies of them.
 */
class SigV4VerifierSdkTest {
  private static final String ACCESS_KEY = "AKIDSTRATATEST";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final CredentialStore STORE = CredentialStore.of(Map.of(ACCESS_KEY, SECRET));

  private final SigV4Verifier verifier = new SigV4Verifier(STORE, Clock.systemUTC());
  private CaptureServer wire;

  @BeforeEach
  void start() throws Exception {
    wire = new CaptureServer();
  }

  @AfterEach
  void stop() throws Exception {
    wire.close();
  }

  @Test
  void verify_getObjectWithRange_returnsDetail() throws Exception {
    Sent sent = send(s3 -> s3.getObject(r -> r.bucket("bucket").key("dir/key.bin")
        .range("bytes=0-9")).close());

    SignatureDetail detail = verifier.verify(sent.signed());

    assertThat(detail.accessKeyId()).isEqualTo(ACCESS_KEY);
    assertThat(detail.region()).isEqualTo("us-east-1");
    assertThat(detail.service()).isEqualTo("s3");
    assertThat(detail.signedHeaders()).contains("host", "range", "x-amz-date");
    assertThat(detail.signature()).isEqualTo(signatureOf(sent));
    assertThat(detail.payloadHash()).isEqualTo(sent.headers().get("x-amz-content-sha256"));
    assertThat(detail.scope()).endsWith("/us-east-1/s3/aws4_request");
  }

  @Test
  void verify_headObject_returnsDetail() throws Exception {
    Sent sent = send(s3 -> s3.headObject(r -> r.bucket("bucket").key("k")));

    assertThat(sent.method()).isEqualTo("HEAD");
    assertThat(verifier.verify(sent.signed()).accessKeyId()).isEqualTo(ACCESS_KEY);
  }

  @Test
  void verify_listObjectsV2AwkwardQuery_returnsDetail() throws Exception {
    Sent sent = send(s3 -> s3.listObjectsV2(r -> r.bucket("bucket")
        .prefix("a b+c/ünï cødé/~x*y").delimiter("/").startAfter("x=y&z=%2F+")
        .maxKeys(7)));

    assertThat(sent.target()).contains("%20").contains("%2B").contains("%2F");
    assertThat(verifier.verify(sent.signed()).accessKeyId()).isEqualTo(ACCESS_KEY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"with space/and+plus", "ünïcødé/日本語.txt", "literal%2Fslash",
      "double//slash/../dots/./x", "tilde~star*paren()!'", "a=b&c?d#e", "trailing/"})
  void verify_awkwardKeys_returnsDetail(String key) throws Exception {
    Sent sent = send(s3 -> s3.getObject(r -> r.bucket("bucket").key(key)).close());

    assertThat(verifier.verify(sent.signed()).accessKeyId()).isEqualTo(ACCESS_KEY);
  }

  @Test
  void verify_putSignedPayload_payloadHashIsBodySha256() throws Exception {
    byte[] body = "hello strata".getBytes(StandardCharsets.UTF_8);
    Sent sent = send(b -> b.serviceConfiguration(
            S3Configuration.builder().chunkedEncodingEnabled(false).build()),
        s3 -> s3.putObject(r -> r.bucket("bucket").key("p u t").metadata(Map.of("k", "v  w")),
            RequestBody.fromBytes(body)));

    SignatureDetail detail = verifier.verify(sent.signed());

    assertThat(sent.body()).isEqualTo(body);
    assertThat(detail.payloadHash()).isEqualTo(SigningKeys.sha256Hex(body));
    assertThat(detail.signedHeaders()).contains("x-amz-content-sha256");
  }

  @Test
  void chunkSignature_streamingPut_matchesEveryChunk() throws Exception {
    byte[] payload = randomBytes(140_000);
    Sent sent = send(
        b -> b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED),
        s3 -> s3.putObject(r -> r.bucket("bucket").key("streamed"),
            RequestBody.fromBytes(payload)));

    SignatureDetail seed = verifier.verify(sent.signed());

    assertThat(seed.payloadHash()).isEqualTo("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
    assertChunksVerify(seed, sent.body(), payload);
  }

  @Test
  void chunkSignature_streamingPutWithTrailer_matchesEveryChunk() throws Exception {
    byte[] payload = "small streamed body".getBytes(StandardCharsets.UTF_8);
    Sent sent = send(s3 -> s3.putObject(r -> r.bucket("bucket").key("trailer"),
        RequestBody.fromBytes(payload)));

    SignatureDetail seed = verifier.verify(sent.signed());

    assertThat(seed.payloadHash()).isEqualTo("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
    assertChunksVerify(seed, sent.body(), payload);
  }

  @Test
  void chunkSignature_tamperedChunk_differs() throws Exception {
    byte[] payload = "abc".getBytes(StandardCharsets.UTF_8);
    Sent sent = send(
        b -> b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED),
        s3 -> s3.putObject(r -> r.bucket("bucket").key("k"), RequestBody.fromBytes(payload)));
    SignatureDetail seed = verifier.verify(sent.signed());
    List<String[]> chunks = chunks(sent.body());

    String forged = SigV4Verifier.chunkSignature(seed, seed.signature(),
        sha256("abd".getBytes(StandardCharsets.UTF_8)));

    assertThat(forged).isNotEqualTo(chunks.get(0)[0]);
  }

  @Test
  void verify_presignedGet_unsignedPayload() throws Exception {
    URL url = presign("dir/ünï cødé+x%2F.txt", Duration.ofMinutes(10));

    SignatureDetail detail = verifier.verify(presigned(url));

    assertThat(detail.payloadHash()).isEqualTo(SigV4Verifier.UNSIGNED_PAYLOAD);
    assertThat(detail.signedHeaders()).containsExactly("host");
  }

  @Test
  void verify_presignedGetAfterExpiry_accessDenied() throws Exception {
    URL url = presign("k", Duration.ofMinutes(10));
    SigV4Verifier later = new SigV4Verifier(STORE,
        Clock.offset(Clock.systemUTC(), Duration.ofMinutes(11)));

    assertThatThrownBy(() -> later.verify(presigned(url)))
        .isInstanceOfSatisfying(S3Exception.class, e -> {
          assertThat(e.code()).isEqualTo(S3ErrorCode.ACCESS_DENIED);
          assertThat(e.getMessage()).isEqualTo("Request has expired");
        });
  }

  @Test
  void verify_presignedGetWithinExpiry_acceptedEvenAfterSkewWindow() throws Exception {
    URL url = presign("k", Duration.ofHours(2));
    SigV4Verifier later = new SigV4Verifier(STORE,
        Clock.offset(Clock.systemUTC(), Duration.ofMinutes(90)));

    assertThat(later.verify(presigned(url)).accessKeyId()).isEqualTo(ACCESS_KEY);
  }

  @Test
  void verify_presignedTamperedQuery_signatureDoesNotMatch() throws Exception {
    URL url = presign("k", Duration.ofMinutes(10));
    SignedRequest r = presigned(url);

    assertMismatch(new SignedRequest("GET", r.rawPath(),
        r.rawQuery() + "&response-content-type=text%2Fhtml", r.headers()));
    assertMismatch(new SignedRequest("GET", r.rawPath() + "x", r.rawQuery(), r.headers()));
    assertMismatch(new SignedRequest("PUT", r.rawPath(), r.rawQuery(), r.headers()));
  }

  @Test
  void verify_changedSignedHeader_signatureDoesNotMatch() throws Exception {
    SignedRequest r = send(s3 -> s3.getObject(b -> b.bucket("bucket").key("k").range("bytes=0-9"))
        .close()).signed();
    Map<String, String> headers = new HashMap<>(r.headers());
    headers.put("range", "bytes=0-99");

    S3Exception e = assertMismatch(new SignedRequest(r.method(), r.rawPath(), r.rawQuery(),
        headers));

    assertThat(e.details()).containsEntry("AWSAccessKeyId", ACCESS_KEY)
        .containsKeys("StringToSign", "SignatureProvided", "CanonicalRequest");
    assertThat(e.details().get("CanonicalRequest")).contains("range:bytes=0-99");
    assertThat(e.details().get("StringToSign")).startsWith("AWS4-HMAC-SHA256\n");
  }

  @Test
  void verify_changedPathOrQuery_signatureDoesNotMatch() throws Exception {
    SignedRequest r = send(s3 -> s3.listObjectsV2(b -> b.bucket("bucket").prefix("a b"))).signed();

    assertMismatch(new SignedRequest(r.method(), "/other", r.rawQuery(), r.headers()));
    assertMismatch(new SignedRequest(r.method(), r.rawPath(),
        r.rawQuery().replace("prefix=a%20b", "prefix=a%20c"), r.headers()));
    // '+' is a literal plus, not a space: "a+b" is not what was signed as "a%20b".
    assertMismatch(new SignedRequest(r.method(), r.rawPath(),
        r.rawQuery().replace("prefix=a%20b", "prefix=a+b"), r.headers()));
  }

  @Test
  void verify_unsignedHeaderChanged_stillVerifies() throws Exception {
    SignedRequest r = send(s3 -> s3.headObject(b -> b.bucket("bucket").key("k"))).signed();
    Map<String, String> headers = new HashMap<>(r.headers());
    headers.put("user-agent", "something else");

    assertThat(verifier.verify(new SignedRequest(r.method(), r.rawPath(), r.rawQuery(), headers))
        .accessKeyId()).isEqualTo(ACCESS_KEY);
  }

  @Test
  void verify_wrongSecret_signatureDoesNotMatch() throws Exception {
    SignedRequest r = send(s3 -> s3.headObject(b -> b.bucket("bucket").key("k"))).signed();
    SigV4Verifier other = new SigV4Verifier(
        CredentialStore.of(Map.of(ACCESS_KEY, SECRET.replace('K', 'k'))), Clock.systemUTC());

    assertThatThrownBy(() -> other.verify(r)).isInstanceOfSatisfying(S3Exception.class,
        e -> assertThat(e.code()).isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH));
  }

  @Test
  void verify_unknownAccessKey_invalidAccessKeyId() throws Exception {
    SignedRequest r = send(s3 -> s3.headObject(b -> b.bucket("bucket").key("k"))).signed();
    SigV4Verifier other = new SigV4Verifier(CredentialStore.of(Map.of()), Clock.systemUTC());

    assertThatThrownBy(() -> other.verify(r)).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_ACCESS_KEY_ID);
      assertThat(e.details()).containsEntry("AWSAccessKeyId", ACCESS_KEY);
    });
  }

  @Test
  void verify_clockSkewedBeyond15Minutes_requestTimeTooSkewed() throws Exception {
    SignedRequest r = send(s3 -> s3.headObject(b -> b.bucket("bucket").key("k"))).signed();
    for (Duration skew : List.of(Duration.ofMinutes(16), Duration.ofMinutes(-16))) {
      SigV4Verifier skewed = new SigV4Verifier(STORE, Clock.offset(Clock.systemUTC(), skew));
      assertThatThrownBy(() -> skewed.verify(r)).isInstanceOfSatisfying(S3Exception.class,
          e -> assertThat(e.code()).isEqualTo(S3ErrorCode.REQUEST_TIME_TOO_SKEWED));
    }
    SigV4Verifier nearlySkewed = new SigV4Verifier(STORE,
        Clock.offset(Clock.systemUTC(), Duration.ofMinutes(14)));
    assertThat(nearlySkewed.verify(r).accessKeyId()).isEqualTo(ACCESS_KEY);
  }

  @Test
  void verify_expectedRegionDiffers_authorizationHeaderMalformed() throws Exception {
    SignedRequest r = send(s3 -> s3.headObject(b -> b.bucket("bucket").key("k"))).signed();
    SigV4Verifier euOnly = new SigV4Verifier(STORE, Clock.systemUTC(), "eu-west-1");

    assertThatThrownBy(() -> euOnly.verify(r)).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.code()).isEqualTo(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
      assertThat(e.details()).containsEntry("Region", "eu-west-1");
    });
    assertThat(new SigV4Verifier(STORE, Clock.systemUTC(), "us-east-1").verify(r)).isNotNull();
  }

  // --- helpers ---

  /** One SDK call; may throw (closing a response stream does). */
  private interface Call {
    void run(S3Client s3) throws Exception;
  }

  private S3Exception assertMismatch(SignedRequest request) {
    S3Exception[] thrown = new S3Exception[1];
    assertThatThrownBy(() -> verifier.verify(request)).isInstanceOfSatisfying(S3Exception.class,
        e -> {
          assertThat(e.code()).isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
          thrown[0] = e;
        });
    return thrown[0];
  }

  /** Checks every {@code chunk-signature=} in an aws-chunked body against the seed. */
  private static void assertChunksVerify(SignatureDetail seed, byte[] body, byte[] payload)
      throws Exception {
    List<String[]> chunks = chunks(body);
    assertThat(chunks).hasSizeGreaterThanOrEqualTo(2); // data chunk(s) and the final empty one
    ByteArrayOutputStream decoded = new ByteArrayOutputStream();
    String previous = seed.signature();
    for (String[] chunk : chunks) {
      byte[] data = chunk[1].getBytes(StandardCharsets.ISO_8859_1);
      decoded.write(data);
      String expected = SigV4Verifier.chunkSignature(seed, previous, sha256(data));
      assertThat(chunk[0]).isEqualTo(expected);
      previous = chunk[0];
    }
    assertThat(decoded.toByteArray()).isEqualTo(payload);
  }

  /** Splits {@code hex;chunk-signature=sig\r\ndata\r\n} frames: [signature, data as latin-1]. */
  private static List<String[]> chunks(byte[] body) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    List<String[]> out = new ArrayList<>();
    int pos = 0;
    while (true) {
      int eol = text.indexOf("\r\n", pos);
      String header = text.substring(pos, eol);
      int semi = header.indexOf(";chunk-signature=");
      int size = Integer.parseInt(header.substring(0, semi), 16);
      String signature = header.substring(semi + ";chunk-signature=".length());
      out.add(new String[] {signature, text.substring(eol + 2, eol + 2 + size)});
      if (size == 0) {
        return out; // trailers (if any) follow; their signature is not a chunk signature
      }
      pos = eol + 2 + size + 2;
    }
  }

  /** A request as the SDK sent it, and as {@link SigV4Verifier} sees it. */
  private record Sent(CaptureServer.Captured captured) {
    Map<String, String> headers() {
      return captured.headers();
    }

    byte[] body() {
      return captured.body();
    }

    String method() {
      return captured.method();
    }

    String target() {
      return captured.target();
    }

    /** The raw path and query, split at '?'. */
    SignedRequest signed() {
      String target = captured.target();
      int q = target.indexOf('?');
      return new SignedRequest(captured.method(), q < 0 ? target : target.substring(0, q),
          q < 0 ? null : target.substring(q + 1), captured.headers());
    }
  }

  private static String signatureOf(Sent sent) {
    String auth = sent.headers().get("authorization");
    return auth.substring(auth.indexOf("Signature=") + "Signature=".length());
  }

  private Sent send(Call call) throws Exception {
    return send(b -> {}, call);
  }

  private Sent send(Consumer<S3ClientBuilder> customize, Call call)
      throws Exception {
    S3ClientBuilder builder = S3Client.builder()
        .endpointOverride(URI.create(wire.endpoint()))
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY, SECRET)))
        .httpClient(ApacheHttpClient.create())
        .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)));
    customize.accept(builder);
    try (S3Client s3 = builder.build()) {
      call.run(s3);
    }
    return new Sent(wire.take());
  }

  private URL presign(String key, Duration duration) {
    try (S3Presigner presigner = S3Presigner.builder()
        .endpointOverride(URI.create(wire.endpoint()))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY, SECRET)))
        .build()) {
      return presigner.presignGetObject(r -> r.signatureDuration(duration)
          .getObjectRequest(g -> g.bucket("bucket").key(key))).url();
    }
  }

  /** A presigned URL as a browser would send it: only the host header. */
  private static SignedRequest presigned(URL url) throws Exception {
    URI uri = url.toURI();
    return new SignedRequest("GET", uri.getRawPath(), uri.getRawQuery(),
        Map.of("host", uri.getHost() + ":" + uri.getPort()));
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(7).nextBytes(bytes);
    return bytes;
  }

}
