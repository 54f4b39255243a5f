package io.strata.proxy.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Cold and warm range GET latency through Strata against the same GETs straight to the upstream,
 * measured in one run on loopback with the same AWS SDK client configuration on both paths. Not a
 * test (nothing is asserted about speed): run with
 * {@code mvn -B verify -pl proxy -Dtest=RangeLatencyBenchmark -Dstrata.bench=true} and read the
 * table it prints; docs/performance.md records the figures.
 */
@EnabledIfSystemProperty(named = "strata.bench", matches = "true")
class RangeLatencyBenchmark {

  private static final int OBJECT_SIZE = 64 * 1024 * 1024;
  private static final int OBJECTS = 6;
  private static final long BLOCK = 1024 * 1024;

  @TempDir Path dir;

  @Test
  void coldAndWarmRanges_versusUpstream() throws Exception {
    try (StrataHarness strata =
        new StrataHarness(dir, Map.of("strata.cache.max-size", "4GiB"), /* throughNetwork= */ false)) {
      byte[] data = new byte[OBJECT_SIZE];
      new Random(1).nextBytes(data);
      for (int i = 0; i < OBJECTS; i++) {
        strata.put("bench/obj-" + i + ".bin", data);
      }
      S3Client direct = strata.direct;
      S3Client via = strata.client();
      // warm both paths' connections and the JIT on a separate object before measuring
      strata.put("bench/warmup.bin", data);
      for (int i = 0; i < 200; i++) {
        long first = (i * 300_000L) % (OBJECT_SIZE - 20_000);
        get(direct, "bench/warmup.bin", "bytes=" + first + "-" + (first + 16_383));
        get(via, "bench/warmup.bin", "bytes=" + first + "-" + (first + 16_383));
      }
      for (int i = 0; i < OBJECTS; i++) {
        get(via, "bench/obj-" + i + ".bin", "bytes=0-0"); // metadata known: cold = block fetches only
      }
      Set<String> touched = new HashSet<>();
      System.out.println();
      System.out.println("| range | reads | upstream p50 ms | upstream, block-aligned p50 ms"
          + " | Strata cold p50 ms | Strata warm p50 ms | cold / upstream | cold / block-aligned"
          + " | warm / upstream | upstream p99 | cold p99 | warm p99 |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
      Random random = new Random(42);
      for (int size : new int[] {16 * 1024, 1024 * 1024, 8 * 1024 * 1024}) {
        List<Long> up = new ArrayList<>();
        List<Long> aligned = new ArrayList<>();
        List<Long> cold = new ArrayList<>();
        List<Long> warm = new ArrayList<>();
        int reads = size >= 8 << 20 ? 8 : 24;
        for (int r = 0; r < reads; r++) {
          // a range whose blocks no earlier read touched, so the read through Strata is cold
          int object;
          long first;
          do {
            object = random.nextInt(OBJECTS);
            first = random.nextInt(OBJECT_SIZE - size);
          } while (!untouched(touched, object, first, size));
          String key = "bench/obj-" + object + ".bin";
          String range = "bytes=" + first + "-" + (first + size - 1);
          // what a cold read through Strata fetches: the range widened to whole blocks
          long alignedFirst = first / BLOCK * BLOCK;
          long alignedLast = (first + size - 1) / BLOCK * BLOCK + BLOCK - 1;
          String widened = "bytes=" + alignedFirst + "-" + alignedLast;
          up.add(time(() -> get(direct, key, range)));
          aligned.add(time(() -> get(direct, key, widened)));
          cold.add(time(() -> get(via, key, range)));
          warm.add(time(() -> get(via, key, range)));
        }
        double u = p(up, 50), a = p(aligned, 50), c = p(cold, 50), w = p(warm, 50);
        System.out.printf("| %d KiB | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
            size / 1024, reads, u, a, c, w, c / u, c / a, w / u, p(up, 99), p(cold, 99), p(warm, 99));
      }
    }
  }

  /** Marks the 1 MiB blocks of a range as touched; false (nothing marked) if one already was. */
  private static boolean untouched(Set<String> touched, int object, long first, int size) {
    List<String> blocks = new ArrayList<>();
    for (long b = first / BLOCK; b <= (first + size - 1) / BLOCK; b++) {
      blocks.add(object + "/" + b);
    }
    // block 0 was read to learn the metadata; the last blocks form the tail block
    boolean clear = first >= BLOCK && (first + size) / BLOCK < OBJECT_SIZE / BLOCK - 2;
    if (!clear || blocks.stream().anyMatch(touched::contains)) {
      return false;
    }
    touched.addAll(blocks);
    return true;
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
