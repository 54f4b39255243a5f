package io.strata.proxy.s3;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.testing.FuzzInput;
import java.util.List;

/**
 * Fuzzes {@link S3RequestParser#parse} with whole request heads ({@link FuzzInput}): it may only
 * classify the request or refuse it with a 4xx {@link S3Exception}.
 */
class S3RequestParserFuzzTest {
  private final S3RequestParser parser = new S3RequestParser(List.of("localhost", "s3.local"));

  @FuzzTest(maxDuration = "25s")
  void parse(byte[] input) {
    FuzzInput head = FuzzInput.parse(input);
    S3Request request;
    try {
      request = parser.parse(head.method(), head.target(), head.headers(), "fuzz",
          io.strata.proxy.s3.auth.Authentication.ANONYMOUS);
    } catch (S3Exception e) {
      FuzzInput.assertClientError(e);
      return;
    }
    if (request.operation() == null
        || (request.operation() == S3Operation.UNSUPPORTED) != (request.unsupportedReason() != null)
        || (request.bucket() != null && request.bucket().isEmpty())
        || (request.key() != null && (request.key().isEmpty() || request.bucket() == null))) {
      throw new AssertionError("parsed " + request);
    }
    request.resource();
  }
}
