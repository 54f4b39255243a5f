package io.strata.proxy.it;

import io.strata.cache.uploads.UploadQueue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * PUT latency through Strata (write-back: durable locally, fsync'ed) against the same PUTs
 * straight to the upstream, and flush throughput (queued while offline, drained when back)
 * against uploading the same objects directly. Not a test: run with
 * {@code mvn -B verify -pl proxy -Dtest=WriteBenchmark -Dstrata.bench=true} and read the table;
 * docs/performance.md records the figures.
 */
@EnabledIfSystemProperty(named = "strata.bench", matches = "true")
class WriteBenchmark {

  @TempDir Path dir;

  @Test
  void putLatencyAndFlushThroughput() throws Exception {
    try (StrataHarness strata = new StrataHarness(dir, Map.of(), /* throughNetwork= */ true)) {
      S3Client direct = strata.direct;
      S3Client via = strata.client();
      for (int i = 0; i < 30; i++) { // warm-up
        byte[] warm = bytes(64 * 1024, i);
        direct.putObject(b -> b.bucket("logs").key("warm-direct"), RequestBody.fromBytes(warm));
        via.putObject(b -> b.bucket("logs").key("warm"), RequestBody.fromBytes(warm));
      }
      awaitDrained(strata);
      System.out.println();
      System.out.println("| PUT size | n | upstream p50 ms | Strata write-back p50 ms | Strata / upstream | upstream p99 | Strata p99 |");
      System.out.println("|---|---|---|---|---|---|---|");
      for (int size : new int[] {64 * 1024, 1024 * 1024, 16 * 1024 * 1024}) {
        int n = size >= 16 << 20 ? 10 : 40;
        List<Long> up = new ArrayList<>();
        List<Long> wb = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          byte[] data = bytes(size, i);
          String key = "lat/" + size + "/" + i;
          long t0 = System.nanoTime();
          direct.putObject(b -> b.bucket("logs").key(key + ".direct"), RequestBody.fromBytes(data));
          long t1 = System.nanoTime();
          via.putObject(b -> b.bucket("logs").key(key), RequestBody.fromBytes(data));
          long t2 = System.nanoTime();
          up.add(t1 - t0);
          wb.add(t2 - t1);
          awaitDrained(strata); // measure each PUT without a flush competing for the cores
        }
        System.out.printf("| %d KiB | %d | %.2f | %.2f | %.2f | %.2f | %.2f |%n", size / 1024, n, p(up, 50), p(wb, 50),
            p(wb, 50) / p(up, 50), p(up, 99), p(wb, 99));
      }

      // flush throughput: 96 MiB queued offline in 1 MiB and 16 MiB objects
      List<byte[]> objects = new ArrayList<>();
      for (int i = 0; i < 32; i++) objects.add(bytes(1024 * 1024, 100 + i));
      for (int i = 0; i < 4; i++) objects.add(bytes(16 * 1024 * 1024, 200 + i));
      long total = objects.stream().mapToLong(o -> o.length).sum();
      long d0 = System.nanoTime();
      for (int i = 0; i < objects.size(); i++) {
        byte[] o = objects.get(i);
        int n = i;
        direct.putObject(b -> b.bucket("logs").key("tp/direct-" + n), RequestBody.fromBytes(o));
      }
      long directNanos = System.nanoTime() - d0;
      strata.network.cut();
      for (int i = 0; i < objects.size(); i++) {
        byte[] o = objects.get(i);
        int n = i;
        via.putObject(b -> b.bucket("logs").key("tp/queued-" + n), RequestBody.fromBytes(o));
      }
      long f0 = System.nanoTime();
      strata.network.restore();
      awaitDrained(strata);
      long flushNanos = System.nanoTime() - f0;
      double mib = total / (1024.0 * 1024.0);
      System.out.println();
      System.out.println("| flush of " + Math.round(mib) + " MiB (36 objects) | seconds | MiB/s | flush / direct upload time |");
      System.out.println("|---|---|---|---|");
      System.out.printf("| direct upload by the client | %.2f | %.1f | |%n", directNanos / 1e9, mib / (directNanos / 1e9));
      System.out.printf("| Strata's flush after reconnect | %.2f | %.1f | %.2f |%n", flushNanos / 1e9, mib / (flushNanos / 1e9),
          (double) flushNanos / directNanos);
    }
  }

  private static void awaitDrained(StrataHarness strata) throws InterruptedException {
    UploadQueue queue = strata.bean(UploadQueue.class);
    while (!queue.all().isEmpty()) {
      Thread.sleep(5);
    }
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static double p(List<Long> nanos, int percentile) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}
