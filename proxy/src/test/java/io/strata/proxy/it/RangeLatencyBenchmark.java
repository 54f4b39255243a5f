package io.strata.proxy.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Cold and warm range GET latency through Strata against the same GETs straight to the upstream,
 * measured in one run on loopback. Not a test (nothing is asserted about speed): run with
 * {@code mvn -B verify -pl proxy -Dtest=RangeLatencyBenchmark -Dstrata.bench=true} and read the
 * table it prints; docs/performance.md records the figures.
 */
@EnabledIfSystemProperty(named = "strata.bench", matches = "true")
class RangeLatencyBenchmark {

  private static final int OBJECT_SIZE = 64 * 1024 * 1024;
  private static final int OBJECTS = 4;
  private static final int ROUNDS = 3;

  @TempDir Path dir;

  @Test
  void coldAndWarmRanges_versusUpstream() throws Exception {
    try (StrataHarness strata = new StrataHarness(dir, java.util.Map.of("strata.cache.max-size", "4GiB"), /* throughNetwork= */ false)) {
      byte[] data = new byte[OBJECT_SIZE];
      new Random(1).nextBytes(data);
      for (int i = 0; i < OBJECTS * ROUNDS; i++) {
        strata.put("bench/obj-" + i + ".bin", data);
      }
      S3Client direct = strata.direct;
      S3Client via = strata.client();
      // warm both paths' connections and JIT before measuring
      for (int i = 0; i < 50; i++) {
        get(direct, "bench/obj-0.bin", "bytes=0-1023");
        get(via, "bench/obj-0.bin", "bytes=0-1023");
      }
      System.out.println();
      System.out.println("| range | upstream p50 ms | Strata cold p50 ms | Strata warm p50 ms | cold / upstream | warm / upstream | upstream p99 | cold p99 | warm p99 |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      for (int size : new int[] {16 * 1024, 1024 * 1024, 8 * 1024 * 1024}) {
        List<Long> up = new ArrayList<>();
        List<Long> cold = new ArrayList<>();
        List<Long> warm = new ArrayList<>();
        Random random = new Random(size);
        for (int round = 0; round < ROUNDS; round++) {
          for (int o = 0; o < OBJECTS; o++) {
            // each object is read cold through Strata exactly once per range: fresh object per round
            String key = "bench/obj-" + (round * OBJECTS + o) + ".bin";
            strata.stopStrata();
            deleteCache(strata);
            strata.startStrata();
            get(strata.client(), key, "bytes=0-0"); // metadata known: cold means block fetches only
            for (int r = 0; r < 8; r++) {
              long first = (long) random.nextInt(OBJECT_SIZE - size);
              String range = "bytes=" + first + "-" + (first + size - 1);
              up.add(time(() -> get(direct, key, range)));
              cold.add(time(() -> get(strata.client(), key, range)));
              warm.add(time(() -> get(strata.client(), key, range)));
            }
          }
        }
        double u = p(up, 50), c = p(cold, 50), w = p(warm, 50);
        System.out.printf("| %d KiB | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
            size / 1024, u, c, w, c / u, w / u, p(up, 99), p(cold, 99), p(warm, 99));
      }
    }
  }

  private static void deleteCache(StrataHarness strata) throws Exception {
    try (var files = java.nio.file.Files.walk(strata.cacheDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(strata.cacheDir)).forEach(p -> p.toFile().delete());
    }
  }

  private static long get(S3Client client, String key, String range) {
    return client.getObjectAsBytes(b -> b.bucket(StrataHarness.BUCKET).key(key).range(range)).asByteArray().length;
  }

  private static long time(LongSupplier call) {
    long start = System.nanoTime();
    call.getAsLong();
    return System.nanoTime() - start;
  }

  private static double p(List<Long> nanos, int percentile) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}
