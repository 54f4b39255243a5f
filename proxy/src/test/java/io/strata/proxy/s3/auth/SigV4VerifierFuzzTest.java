package io.strata.proxy.s3.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.testing.FuzzInput;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Fuzzes {@link SigV4Verifier#verify} as the request path calls it, with whole request heads
 * ({@link FuzzInput}: request line, headers), a fixed key and a fixed clock. Only
 * {@link S3Exception} with a 4xx status may come out, and what verifies must name the key.
 *
 * <p>The clock is the time of the AWS documentation's examples (2013-05-24T00:00:00Z), so the
 * seeds in {@code SigV4VerifierFuzzTestInputs/verify/} (the documentation's requests, and
 * requests and presigned URLs signed by AWS SDK for Java v2 at that time with the
 * documentation's key) verify, and the fuzzer starts from the success path.
 */
class SigV4VerifierFuzzTest {
  static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final Clock DOC_TIME = Clock.fixed(Instant.parse("2013-05-24T00:00:00Z"), ZoneOffset.UTC);

  private final SigV4Verifier verifier =
      new SigV4Verifier(CredentialStore.of(Map.of(ACCESS_KEY, SECRET)), DOC_TIME);

  @FuzzTest(maxDuration = "25s")
  void verify(byte[] input) {
    FuzzInput request = FuzzInput.parse(input);
    SignedRequest signed = new SignedRequest(request.method(), request.rawPath(),
        request.rawQuery(), request.headers());
    SignatureDetail detail;
    try {
      detail = verifier.verify(signed);
    } catch (S3Exception e) {
      FuzzInput.assertClientError(e);
      return;
    }
    if (!detail.accessKeyId().equals(ACCESS_KEY) || !detail.signedHeaders().contains("host")) {
      throw new AssertionError("verified " + detail);
    }
  }
}
