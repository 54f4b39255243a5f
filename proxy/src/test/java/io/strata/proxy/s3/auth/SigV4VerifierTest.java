package io.strata.proxy.s3.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The worked examples of the S3 SigV4 documentation ("Examples: Signature Calculations in AWS
 * Signature Version 4", "Transferring Payload in Multiple Chunks", "Query string authentication")
 * and requests that must be refused before any signature is computed.
 */
class SigV4VerifierTest {
  private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final Clock DOC_TIME =
      Clock.fixed(Instant.parse("2013-05-24T00:00:00Z"), ZoneOffset.UTC);
  private static final String EMPTY = SigV4Verifier.EMPTY_SHA256;
  private static final String CREDENTIAL = ACCESS_KEY + "/20130524/us-east-1/s3/aws4_request";

  private final SigV4Verifier verifier =
      new SigV4Verifier(CredentialStore.of(Map.of(ACCESS_KEY, SECRET)), DOC_TIME);

  @Test
  void verify_docGetObjectExample_accepted() {
    SignatureDetail detail = verifier.verify(docGet());

    assertThat(detail.signature())
        .isEqualTo("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    assertThat(detail.date()).isEqualTo(Instant.parse("2013-05-24T00:00:00Z"));
    assertThat(detail.scope()).isEqualTo("20130524/us-east-1/s3/aws4_request");
    assertThat(detail.signedHeaders())
        .containsExactly("host", "range", "x-amz-content-sha256", "x-amz-date");
  }

  @Test
  void verify_docPresignedExample_accepted() {
    SignatureDetail detail = verifier.verify(new SignedRequest("GET", "/test.txt",
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2F"
            + "us-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400"
            + "&X-Amz-SignedHeaders=host&X-Amz-Signature="
            + "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
        Map.of("host", "examplebucket.s3.amazonaws.com")));

    assertThat(detail.payloadHash()).isEqualTo("UNSIGNED-PAYLOAD");
  }

  @Test
  void chunkSignature_docChunkedUploadExample_matchesEachChunk() throws Exception {
    SignatureDetail seed = verifier.verify(new SignedRequest("PUT",
        "/examplebucket/chunkObject.txt", null, Map.of(
            "host", "s3.amazonaws.com",
            "x-amz-date", "20130524T000000Z",
            "x-amz-storage-class", "REDUCED_REDUNDANCY",
            "authorization", "AWS4-HMAC-SHA256 Credential=" + CREDENTIAL + ",SignedHeaders="
                + "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                + "x-amz-decoded-content-length;x-amz-storage-class,Signature="
                + "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
            "x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            "content-encoding", "aws-chunked",
            "x-amz-decoded-content-length", "66560",
            "content-length", "66824")));
    byte[] first = new byte[65536];
    Arrays.fill(first, (byte) 'a');
    byte[] second = new byte[1024];
    Arrays.fill(second, (byte) 'a');

    String c1 = SigV4Verifier.chunkSignature(seed, seed.signature(), sha256(first));
    String c2 = SigV4Verifier.chunkSignature(seed, c1, sha256(second));
    String last = SigV4Verifier.chunkSignature(seed, c2, sha256(new byte[0]));

    assertThat(c1).isEqualTo("ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
    assertThat(c2).isEqualTo("0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
    assertThat(last)
        .isEqualTo("b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
  }

  @Test
  void verify_headerValueWithExtraSpaces_trimmedAndCollapsed() {
    SignedRequest doc = docGet();
    Map<String, String> headers = new HashMap<>(doc.headers());
    headers.put("range", "  bytes=0-9  ");

    assertThat(verifier.verify(new SignedRequest("GET", "/test.txt", null, headers))).isNotNull();
    assertThat(CanonicalRequest.headerValue("  a   b  c ")).isEqualTo("a b c");
  }

  @Test
  void verify_signatureOneCharOff_signatureDoesNotMatchWithDetails() {
    Map<String, String> headers = new HashMap<>(docGet().headers());
    headers.put("authorization", headers.get("authorization").replace("bdb41", "bdb42"));

    assertThatThrownBy(() -> verifier.verify(new SignedRequest("GET", "/test.txt", null, headers)))
        .isInstanceOfSatisfying(S3Exception.class, e -> {
          assertThat(e.code()).isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
          assertThat(e.details()).containsOnlyKeys("AWSAccessKeyId", "StringToSign",
              "SignatureProvided", "CanonicalRequest");
          assertThat(e.details().get("StringToSign")).isEqualTo("AWS4-HMAC-SHA256\n"
              + "20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
              + "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
        });
  }

  @Test
  void verify_noAuthentication_accessDeniedAnonymous() {
    assertRefused(new SignedRequest("GET", "/b/k", "list-type=2", Map.of("host", "h")),
        S3ErrorCode.ACCESS_DENIED, "Anonymous access is not allowed");
  }

  @Test
  void verify_sigV2Header_accessDenied() {
    assertRefused(withAuthorization("AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg="),
        S3ErrorCode.ACCESS_DENIED, SigV4Verifier.SIGV2_MESSAGE);
  }

  @Test
  void verify_sigV2Query_accessDenied() {
    assertRefused(new SignedRequest("GET", "/b/k", "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE"
            + "&Expires=1141889120&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D",
            Map.of("host", "h")),
        S3ErrorCode.ACCESS_DENIED, SigV4Verifier.SIGV2_MESSAGE);
  }

  @Test
  void verify_headerAndQueryAuth_invalidArgument() {
    SignedRequest doc = docGet();
    assertRefused(new SignedRequest("GET", "/test.txt", "X-Amz-Algorithm=AWS4-HMAC-SHA256",
        doc.headers()), S3ErrorCode.INVALID_ARGUMENT, "Only one auth mechanism allowed");
  }

  @Test
  void verify_sigV4a_invalidArgument() {
    assertRefused(withAuthorization("AWS4-ECDSA-P256-SHA256 Credential=" + CREDENTIAL
        + ", SignedHeaders=host, Signature=00"), S3ErrorCode.INVALID_ARGUMENT,
        "Unsupported Authorization Type");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "AWS4-HMAC-SHA256",
      "AWS4-HMAC-SHA256 Credential=" + CREDENTIAL + ", SignedHeaders=host",
      "AWS4-HMAC-SHA256 Credential=" + CREDENTIAL + ", SignedHeaders=host, Signature",
      "AWS4-HMAC-SHA256 Credential=" + CREDENTIAL + ", Credential=" + CREDENTIAL
          + ", SignedHeaders=host, Signature=00",
      "AWS4-HMAC-SHA256 Credential=" + CREDENTIAL + ", SignedHeaders=host, Signature=00, X=1",
      "AWS4-HMAC-SHA256Credential=" + CREDENTIAL + ", SignedHeaders=host, Signature=00",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3,"
          + " SignedHeaders=host, Signature=00",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/2013-05-24/us-east-1/s3/aws4_request,"
          + " SignedHeaders=host, Signature=00",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/ec2/aws4_request,"
          + " SignedHeaders=host, Signature=00",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_reqest,"
          + " SignedHeaders=host, Signature=00",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524//s3/aws4_request,"
          + " SignedHeaders=host, Signature=00",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130523/us-east-1/s3/aws4_request,"
          + " SignedHeaders=host;x-amz-date, Signature=00",
      "AWS4-HMAC-SHA256 Credential=" + CREDENTIAL + ", SignedHeaders=x-amz-date, Signature=00",
      "AWS4-HMAC-SHA256 Credential=" + CREDENTIAL + ", SignedHeaders=Host;x-amz-date,"
          + " Signature=00",
      "AWS4-HMAC-SHA256 Credential=" + CREDENTIAL + ", SignedHeaders=host;;x-amz-date,"
          + " Signature=00"})
  void verify_malformedAuthorization_authorizationHeaderMalformed(String authorization) {
    assertRefused(withAuthorization(authorization), S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED,
        "The authorization header is malformed");
  }

  @Test
  void verify_noDateHeader_accessDenied() {
    Map<String, String> headers = new HashMap<>(docGet().headers());
    headers.remove("x-amz-date");
    assertRefused(new SignedRequest("GET", "/test.txt", null, headers), S3ErrorCode.ACCESS_DENIED,
        "AWS authentication requires a valid Date or x-amz-date header");
    headers.put("x-amz-date", "2013-05-24T00:00:00Z");
    assertRefused(new SignedRequest("GET", "/test.txt", null, headers), S3ErrorCode.ACCESS_DENIED,
        "AWS authentication requires a valid Date or x-amz-date header");
  }

  @Test
  void verify_httpDateInsteadOfAmzDate_usedForTimeAndScope() {
    Map<String, String> headers = new HashMap<>(docGet().headers());
    headers.remove("x-amz-date");
    headers.put("date", "Fri, 24 May 2013 00:00:00 GMT");

    // Signed with x-amz-date in the doc, so the signature differs, but time and scope pass.
    assertRefused(new SignedRequest("GET", "/test.txt", null, headers),
        S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, "The request signature");
  }

  @Test
  void verify_missingContentSha256_withBody_invalidRequest() {
    Map<String, String> headers = new HashMap<>(docGet().headers());
    headers.remove("x-amz-content-sha256");
    headers.put("content-length", "5");
    assertRefused(new SignedRequest("PUT", "/test.txt", null, headers),
        S3ErrorCode.INVALID_REQUEST, "x-amz-content-sha256");
  }

  @Test
  void verify_skewedClock_requestTimeTooSkewed() {
    SigV4Verifier late = new SigV4Verifier(CredentialStore.of(Map.of(ACCESS_KEY, SECRET)),
        Clock.offset(DOC_TIME, java.time.Duration.ofMinutes(15).plusSeconds(1)));
    SigV4Verifier justInTime = new SigV4Verifier(CredentialStore.of(Map.of(ACCESS_KEY, SECRET)),
        Clock.offset(DOC_TIME, java.time.Duration.ofMinutes(15)));

    assertThatThrownBy(() -> late.verify(docGet())).isInstanceOfSatisfying(S3Exception.class,
        e -> {
          assertThat(e.code()).isEqualTo(S3ErrorCode.REQUEST_TIME_TOO_SKEWED);
          assertThat(e.details()).containsEntry("MaxAllowedSkewMilliseconds", "900000");
        });
    assertThat(justInTime.verify(docGet())).isNotNull();
  }

  @Test
  void verify_presignedExpiresOverAWeek_malformed() {
    assertRefused(presignedQuery("604801"), S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
        "604800");
    assertRefused(presignedQuery("-1"), S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
        "non-negative");
    assertRefused(presignedQuery("soon"), S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR, "number");
  }

  @Test
  void verify_presignedMissingParameter_malformed() {
    assertRefused(new SignedRequest("GET", "/test.txt", "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=" + CREDENTIAL + "&X-Amz-Signature=00",
            Map.of("host", "h")),
        S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR, "requires the X-Amz-Algorithm");
  }

  @Test
  void verify_presignedFromTheFuture_requestTimeTooSkewed() {
    SignedRequest future = new SignedRequest("GET", "/test.txt", "X-Amz-Algorithm=AWS4-HMAC-SHA256"
        + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130525%2Fus-east-1%2Fs3%2Faws4_request"
        + "&X-Amz-Date=20130525T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host"
        + "&X-Amz-Signature=00", Map.of("host", "h"));
    assertRefused(future, S3ErrorCode.REQUEST_TIME_TOO_SKEWED, "The difference");
  }

  /**
   * Vectors of AWS's "aws-sig-v4-test-suite" (service "service", AKIDEXAMPLE, 20150830T123600Z)
   * whose canonical form S3 shares; the path-normalizing ones do not apply to S3, which signs keys
   * as they are. Each signature is the published one.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.MethodSource("testSuiteVectors")
  void awsSigV4TestSuite_publishedSignatures(String name, SignedRequest request, List<String> signedHeaders,
      String signature) {
    String canonical = CanonicalRequest.build(request, CanonicalRequest.parseQuery(request.rawQuery()),
        signedHeaders, SigV4Verifier.EMPTY_SHA256);
    String stringToSign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
        + SigningKeys.sha256Hex(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] key = new SigningKeys().signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1",
        "service");
    assertThat(SigningKeys.hmacHex(key, stringToSign)).isEqualTo(signature);
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> testSuiteVectors() {
    Map<String, String> base = Map.of("host", "example.amazonaws.com", "x-amz-date", "20150830T123600Z");
    List<String> plain = List.of("host", "x-amz-date");
    Map<String, String> trim = new HashMap<>(base);
    trim.put("my-header1", " value1");
    trim.put("my-header2", " \"a   b   c\"");
    Map<String, String> duplicate = new HashMap<>(base);
    duplicate.put("my-header1", "value2,value2,value1"); // three headers, joined as received
    return java.util.stream.Stream.of(
        org.junit.jupiter.params.provider.Arguments.of("get-vanilla", new SignedRequest("GET", "/", null, base), plain,
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        org.junit.jupiter.params.provider.Arguments.of("get-vanilla-query-order-key-case",
            new SignedRequest("GET", "/", "Param2=value2&Param1=value1", base), plain,
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        org.junit.jupiter.params.provider.Arguments.of("get-vanilla-utf8-query",
            new SignedRequest("GET", "/", "\u1234=bar", base), plain,
            "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
        org.junit.jupiter.params.provider.Arguments.of("get-header-value-trim", new SignedRequest("GET", "/", null, trim),
            List.of("host", "my-header1", "my-header2", "x-amz-date"),
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
        org.junit.jupiter.params.provider.Arguments.of("get-header-key-duplicate",
            new SignedRequest("GET", "/", null, duplicate), List.of("host", "my-header1", "x-amz-date"),
            "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"),
        org.junit.jupiter.params.provider.Arguments.of("post-vanilla", new SignedRequest("POST", "/", null, base), plain,
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"));
  }

  @Test
  void canonicalQuery_awkwardValues_encodedAndSorted() {
    assertThat(CanonicalRequest.query(CanonicalRequest.parseQuery(
        "prefix=a%20b+c&delimiter=%2F&list-type=2&b=2&b=1&empty&u=%C3%BC&t=~*")))
        .isEqualTo("b=1&b=2&delimiter=%2F&empty=&list-type=2&prefix=a%20b%2Bc&t=~%2A"
            + "&u=%C3%BC");
  }

  @Test
  void canonicalUri_keptUnnormalized_reencodedOnce() {
    assertThat(CanonicalRequest.uri("")).isEqualTo("/");
    // The SDK sends a key's "//" as "/%2F"; it signed the decoded "//".
    assertThat(CanonicalRequest.uri("/b/a//../.%2F/x%20y+z"))
        .isEqualTo("/b/a//.././/x%20y%2Bz");
    assertThat(CanonicalRequest.uri("/b/%252F/%E6%97%A5")).isEqualTo("/b/%252F/%E6%97%A5");
    assertThat(CanonicalRequest.uri("/b/bad%zz")).isEqualTo("/b/bad%25zz");
  }

  @Test
  void signingKey_sameSecretDateRegionService_derivedOnce() {
    SigningKeys keys = new SigningKeys();
    byte[] first = keys.signingKey(SECRET, "20130524", "us-east-1", "s3");

    assertThat(keys.signingKey(SECRET, "20130524", "us-east-1", "s3")).isSameAs(first);
    assertThat(keys.signingKey(SECRET, "20130525", "us-east-1", "s3")).isNotEqualTo(first);
    assertThat(keys.signingKey(SECRET + "x", "20130524", "us-east-1", "s3")).isNotEqualTo(first);
  }

  @Test
  void signatureDetail_toString_hidesSigningKey() {
    SignatureDetail detail = verifier.verify(docGet());

    assertThat(detail.toString()).doesNotContain("signingKey").contains(ACCESS_KEY);
    assertThat(detail.signingKey()).isNotSameAs(detail.signingKey());
  }

  // --- helpers ---

  /** The GET example of "Examples: Signature Calculations in AWS Signature Version 4". */
  private static SignedRequest docGet() {
    return new SignedRequest("GET", "/test.txt", null, Map.of(
        "host", "examplebucket.s3.amazonaws.com",
        "range", "bytes=0-9",
        "x-amz-content-sha256", EMPTY,
        "x-amz-date", "20130524T000000Z",
        "authorization", "AWS4-HMAC-SHA256 Credential=" + CREDENTIAL
            + ",SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature="
            + "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
  }

  private static SignedRequest withAuthorization(String authorization) {
    Map<String, String> headers = new HashMap<>(docGet().headers());
    headers.put("authorization", authorization);
    return new SignedRequest("GET", "/test.txt", null, headers);
  }

  private static SignedRequest presignedQuery(String expires) {
    return new SignedRequest("GET", "/test.txt", "X-Amz-Algorithm=AWS4-HMAC-SHA256"
        + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=" + expires + "&X-Amz-SignedHeaders=host"
        + "&X-Amz-Signature=00", Map.of("host", "h"));
  }

  private void assertRefused(SignedRequest request, S3ErrorCode code, String messagePart) {
    assertThatThrownBy(() -> verifier.verify(request)).isInstanceOfSatisfying(S3Exception.class,
        e -> {
          assertThat(e.code()).isEqualTo(code);
          assertThat(e.getMessage()).contains(messagePart);
        });
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }
}
