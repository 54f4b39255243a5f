package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Hundreds of random ranges through Strata and straight to the upstream: same status, same bytes. */
class DifferentialRangeTest {

  @TempDir static Path dir;
  static StrataHarness strata;
  static final int SIZE = 3 * 1024 * 1024 + 300 * 1024 + 17; // blocks, a tail, odd end

  @BeforeAll
  static void start() throws Exception {
    strata = new StrataHarness(dir);
    byte[] data = new byte[SIZE];
    new Random(99).nextBytes(data);
    strata.put("diff.bin", data);
    strata.put("empty.bin", new byte[0]);
    strata.put("tiny.bin", new byte[] {9, 8, 7});
  }

  @AfterAll
  static void stop() throws Exception {
    strata.assertCacheConsistent();
    strata.close();
  }

  @Test
  void randomRanges_matchUpstream() {
    Random random = new Random(2026);
    for (int i = 0; i < 400; i++) {
      String range = randomRange(random, SIZE);
      compare("diff.bin", range);
    }
    for (String range : new String[] {"bytes=0-0", "bytes=-1", "bytes=-3", "bytes=-4", "bytes=2-", "bytes=3-", "bytes=1-1"}) {
      compare("tiny.bin", range);
    }
    compare("empty.bin", null);
  }

  private static String randomRange(Random r, int size) {
    return switch (r.nextInt(6)) {
      case 0 -> "bytes=-" + (1 + r.nextInt(size + 1000));
      case 1 -> "bytes=" + r.nextInt(size + 10) + "-";
      case 2 -> { // block-crossing
        long a = (long) (1 + r.nextInt(3)) * 1024 * 1024 - r.nextInt(5000);
        yield "bytes=" + a + "-" + (a + r.nextInt(20000));
      }
      case 3 -> "bytes=" + (size - r.nextInt(20)) + "-" + (size + r.nextInt(100)); // past the end
      default -> {
        long a = r.nextInt(size);
        yield "bytes=" + a + "-" + (a + r.nextInt(2 * 1024 * 1024));
      }
    };
  }

  private static void compare(String key, String range) {
    Result viaStrata = get(strata.client(), key, range);
    Result direct = get(strata.direct, key, range);
    assertThat(viaStrata.status).as(range).isEqualTo(direct.status);
    assertThat(viaStrata.contentRange).as(range).isEqualTo(direct.contentRange);
    assertThat(viaStrata.bytes).as(range).isEqualTo(direct.bytes);
  }

  private record Result(int status, String contentRange, byte[] bytes) {}

  private static Result get(software.amazon.awssdk.services.s3.S3Client client, String key, String range) {
    try {
      ResponseBytes<GetObjectResponse> r = client.getObjectAsBytes(b -> {
        b.bucket("logs").key(key);
        if (range != null) b.range(range);
      });
      int status = r.response().contentRange() != null ? 206 : 200;
      return new Result(status, r.response().contentRange(), r.asByteArray());
    } catch (S3Exception e) {
      return new Result(e.statusCode(), null, new byte[0]);
    }
  }
}
