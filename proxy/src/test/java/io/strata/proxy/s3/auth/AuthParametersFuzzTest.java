package io.strata.proxy.s3.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.strata.proxy.s3.auth.CanonicalRequest.Param;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.testing.FuzzInput;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Fuzzes the SigV4 parsers on their own with whole request heads ({@link FuzzInput}: request
 * line, headers): the {@code Authorization} header, the presigned query and the canonical
 * request. Only {@link S3Exception} with a 4xx status may come out, and the canonical URI must be
 * canonical (a fixed point of {@link CanonicalRequest#uri}).
 *
 * <p>Seeds in {@code AuthParametersFuzzTestInputs/parse/}: the AWS documentation's signed
 * requests and requests signed by AWS SDK for Java v2 (see {@link SigV4VerifierFuzzTest}).
 */
class AuthParametersFuzzTest {
  /** What a canonical URI may contain: unreserved characters, '/' and upper-case escapes. */
  private static final Pattern CANONICAL_URI =
      Pattern.compile("([A-Za-z0-9\\-_.~/]|%[0-9A-F]{2})*");

  @FuzzTest(maxDuration = "25s")
  void parse(byte[] input) {
    FuzzInput request = FuzzInput.parse(input);
    List<Param> query = CanonicalRequest.parseQuery(request.rawQuery());

    String canonicalUri = CanonicalRequest.uri(request.rawPath());
    if (!CANONICAL_URI.matcher(canonicalUri).matches()
        || !CanonicalRequest.uri(canonicalUri).equals(canonicalUri)) {
      throw new AssertionError("canonical URI of '" + request.rawPath() + "' is '"
          + canonicalUri + "', which is not canonical");
    }
    CanonicalRequest.query(query);

    List<String> signedHeaders = new ArrayList<>(request.headers().keySet());
    String authorization = request.headers().get("authorization");
    if (authorization != null) {
      try {
        signedHeaders = AuthParameters.fromHeader(authorization).signedHeaders();
      } catch (S3Exception e) {
        FuzzInput.assertClientError(e);
      }
    }
    try {
      AuthParameters presigned = AuthParameters.fromQuery(query);
      if (presigned.expiresSeconds() < 0
          || presigned.expiresSeconds() > AuthParameters.MAX_EXPIRES_SECONDS) {
        throw new AssertionError("X-Amz-Expires " + presigned.expiresSeconds() + " accepted");
      }
    } catch (S3Exception e) {
      FuzzInput.assertClientError(e);
    }
    SignedRequest signed = new SignedRequest(request.method(), request.rawPath(),
        request.rawQuery(), request.headers());
    CanonicalRequest.build(signed, query, signedHeaders, "UNSIGNED-PAYLOAD");
  }
}
