package io.strata.proxy.s3.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.strata.proxy.s3.auth.CanonicalRequest.Param;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.testing.FuzzInput;
import java.util.ArrayList;
import java.util.List;

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
  @FuzzTest(maxDuration = "25s")
  void parse(byte[] input) {
    FuzzInput request = FuzzInput.parse(input);
    List<Param> query = CanonicalRequest.parseQuery(request.rawQuery());

    String canonicalUri = CanonicalRequest.uri(request.rawPath());
    if (!isCanonical(canonicalUri) || !CanonicalRequest.uri(canonicalUri).equals(canonicalUri)) {
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

  /**
   * Whether {@code uri} holds only RFC 3986 unreserved characters, '/' and upper-case escapes.
   * A loop, not a regular expression: java.util.regex recurses per repetition of a group and
   * overflows the stack on a long path (the harness's own first finding).
   */
  private static boolean isCanonical(String uri) {
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c == '%') {
        if (i + 2 >= uri.length() || !isUpperHex(uri.charAt(i + 1))
            || !isUpperHex(uri.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~' || c == '/')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isUpperHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
  }
}
