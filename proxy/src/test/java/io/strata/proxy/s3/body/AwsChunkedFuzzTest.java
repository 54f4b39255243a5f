package io.strata.proxy.s3.body;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.testing.FuzzInput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * Fuzzes request body decoding with whole requests ({@link FuzzInput}: request line, headers,
 * blank line, body): {@link AwsChunkedInputStream} on its own, then {@link BodyDecoder#open} as
 * the upload path calls it, each read to EOF.
 *
 * <p>Rules: only {@link S3Exception} with a 4xx status may come out (the raw stream is a byte
 * array, so no IOException); every read makes progress; and memory stays bounded, checked by
 * counting this thread's allocations, so a declared chunk size or length is never allocated
 * before its bytes arrive.
 *
 * <p>The one tolerated non-4xx: {@link BodyDecoder} answers 501 {@code NotImplemented} to the
 * SigV4a {@code STREAMING-AWS4-ECDSA-P256-SHA256-*} modes, a real S3 feature Strata lacks; any
 * other unknown {@code STREAMING-*} value is 400. See docs/security-fuzzing.md.
 */
class AwsChunkedFuzzTest {
  /** Allocation allowed per input: buffers, digests and messages, but nothing like 16 MiB. */
  private static final long ALLOCATION_BUDGET = 4L << 20;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  static {
    // Class loading and the first use of each digest allocate megabytes once; do that here, so
    // the budget below measures decoding only.
    for (String checksum : new String[] {"crc32", "crc32c", "crc64nvme", "sha1", "sha256"}) {
      String head = "PUT /b/k\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\n"
          + "x-amz-trailer: x-amz-checksum-" + checksum + "\nContent-MD5: AAAAAAAAAAAAAAAAAAAAAA==\n"
          + "x-amz-decoded-content-length: 1\n\n1\r\nx\r\n0\r\nx-amz-checksum-" + checksum + ":AA\r\n";
      try {
        decodeBoth(FuzzInput.parse(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)),
            head.length());
      } catch (IOException | RuntimeException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  @FuzzTest(maxDuration = "25s")
  void decode(byte[] input) throws IOException {
    FuzzInput request = FuzzInput.parse(input);
    long before = THREADS.getCurrentThreadAllocatedBytes();

    decodeBoth(request, input.length);

    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    if (allocated > ALLOCATION_BUDGET + 64L * input.length) {
      throw new AssertionError(allocated + " bytes allocated for a " + input.length
          + "-byte input");
    }
  }

  private static void decodeBoth(FuzzInput request, int inputLength) throws IOException {
    Map<String, String> headers = request.headers();

    String contentSha256 = headers.getOrDefault("x-amz-content-sha256", "");
    AwsChunkedInputStream chunked = new AwsChunkedInputStream(
        new ByteArrayInputStream(request.body()), contentSha256.contains("HMAC"),
        contentSha256.endsWith("TRAILER") || headers.containsKey("x-amz-trailer"));
    if (readToEnd(chunked, inputLength)) {
      for (String signature : chunked.chunkSignatures()) {
        if (!signature.matches("[0-9a-f]{64}")) {
          throw new AssertionError("chunk signature '" + signature + "' accepted");
        }
      }
    }

    VerifyingInputStream verifying;
    try {
      verifying = BodyDecoder.open(new ByteArrayInputStream(request.body()), headers);
    } catch (S3Exception e) {
      if (e.code() == S3ErrorCode.NOT_IMPLEMENTED && contentSha256.startsWith("STREAMING-AWS4-ECDSA-P256-SHA256")) {
        return; // the tolerated 501, see the class comment
      }
      FuzzInput.assertClientError(e);
      return;
    }
    if (readToEnd(verifying, inputLength)) {
      verifying.md5Hex(); // a verified EOF has its digests
      String length = headers.get(BodyDecoder.isAwsChunked(headers)
          ? "x-amz-decoded-content-length" : "content-length");
      if (length != null && Long.parseLong(length.strip()) != verifying.count()) {
        throw new AssertionError(verifying.count() + " bytes accepted for length " + length);
      }
    }
  }

  /** Reads to EOF; false if refused with a 4xx. The payload is never longer than the input. */
  private static boolean readToEnd(InputStream in, int inputLength) throws IOException {
    byte[] buffer = new byte[8192];
    long total = 0;
    int reads = 0;
    try {
      while (true) {
        // Alternate single-byte and buffer reads: both paths of each stream.
        int n = reads % 3 == 0 ? (in.read() < 0 ? -1 : 1) : in.read(buffer, 0, buffer.length);
        if (n < 0) {
          return true;
        }
        if (n == 0 || ++reads > inputLength + 2) {
          throw new AssertionError("read made no progress after " + total + " bytes");
        }
        total += n;
        if (total > inputLength) {
          throw new AssertionError(total + " payload bytes from a " + inputLength
              + "-byte input");
        }
      }
    } catch (S3Exception e) {
      FuzzInput.assertClientError(e);
      return false;
    }
  }
}
