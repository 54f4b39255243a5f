package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revalidation after revalidate-after, and the size cap enforced through real reads. */
class FreshnessAndEvictionTest {

  @TempDir Path dir;
  StrataHarness strata;

  @AfterEach
  void stop() throws Exception {
    strata.assertCacheConsistent();
    strata.close();
  }

  @Test
  void freshMetadata_servesWithoutAnyUpstreamRequest() throws Exception {
    strata = new StrataHarness(dir);
    strata.put("f.bin", new byte[100_000]);
    strata.raw("GET", "/logs/f.bin");
    strata.assertCacheConsistent(); // the last block is committed just after the response ends
    strata.network.clearRequests();

    assertThat(strata.raw("GET", "/logs/f.bin").statusCode()).isEqualTo(200);
    assertThat(strata.raw("HEAD", "/logs/f.bin").statusCode()).isEqualTo(200);

    assertThat(strata.network.requests()).isEmpty();
  }

  @Test
  void staleMetadata_isRevalidatedWithOneHead_andUnchangedBlocksAreKept() throws Exception {
    strata = new StrataHarness(dir, Map.of("strata.cache.revalidate-after", "1ms"));
    byte[] data = new byte[2_500_000];
    new Random(5).nextBytes(data);
    strata.put("f.bin", data);
    strata.raw("GET", "/logs/f.bin");
    strata.assertCacheConsistent(); // the last block is committed just after the response ends
    Thread.sleep(5);
    strata.network.clearRequests();

    HttpResponse<byte[]> again = strata.raw("GET", "/logs/f.bin");

    assertThat(again.body()).isEqualTo(data);
    assertThat(again.headers().firstValue("x-strata-cache")).hasValue("hit");
    assertThat(strata.network.requests()).singleElement().asString().startsWith("HEAD /logs/f.bin");
  }

  @Test
  void sizeCap_evictsLeastRecentlyUsedBlocksInTheBackground_andReadsStayCorrect() throws Exception {
    // 64 KiB blocks, a cap of 16 blocks (1 MiB): a 3 MiB object cannot stay whole
    strata = new StrataHarness(dir, Map.of("strata.cache.block-size", "64KiB", "strata.cache.max-size", "1MiB"));
    byte[] data = new byte[3 * 1024 * 1024];
    new Random(6).nextBytes(data);
    strata.put("big.bin", data);

    assertThat(strata.raw("GET", "/logs/big.bin").body()).isEqualTo(data);
    // the response ends at its last byte; the last block's commit follows it, and eviction runs
    // on the cache's background evictor after that
    strata.assertCacheConsistent();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (strata.cache().stats().bytes() > 1024 * 1024 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(strata.cache().stats().bytes()).isLessThanOrEqualTo(1024 * 1024);
    assertThat(strata.cache().stats().evictions()).isPositive();

    // the most recently read bytes (the end of the object) are the ones kept
    strata.network.clearRequests();
    HttpResponse<byte[]> tail = strata.raw("GET", "/logs/big.bin", "Range", "bytes=-100000");
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(data, data.length - 100000, data.length));
    assertThat(tail.headers().firstValue("x-strata-cache")).hasValue("hit");
    assertThat(strata.network.requests()).isEmpty();

    HttpResponse<byte[]> head = strata.raw("GET", "/logs/big.bin", "Range", "bytes=0-99999");
    assertThat(head.body()).isEqualTo(Arrays.copyOf(data, 100000));
    assertThat(head.headers().firstValue("x-strata-cache")).hasValue("miss");
  }
}
