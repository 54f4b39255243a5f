package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counted upstream requests, faults in the middle of a body, corrupt blocks and changed versions. */
class CoalescingAndFaultsTest {

  @TempDir Path dir;
  StrataHarness strata;
  byte[] data;

  @BeforeEach
  void start() throws Exception {
    strata = new StrataHarness(dir, Map.of("strata.cache.revalidate-after", "1ms"));
    data = new byte[4 * 1024 * 1024];
    new Random(11).nextBytes(data);
    strata.put("f.bin", data);
  }

  @AfterEach
  void stop() throws Exception {
    strata.assertCacheConsistent();
    strata.close();
  }

  @Test
  void coalescing_32ConcurrentColdReadsOfOneBlock_makeOneUpstreamGet() throws Exception {
    strata.raw("HEAD", "/logs/f.bin"); // metadata known; count only the block fetches
    strata.network.clearRequests();
    ExecutorService pool = Executors.newFixedThreadPool(32);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<HttpResponse<byte[]>>> results = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      int offset = 1024 * 1024 + i * 1000;
      results.add(pool.submit(() -> {
        go.await();
        return strata.raw("GET", "/logs/f.bin", "Range", "bytes=" + offset + "-" + (offset + 999));
      }));
    }
    go.countDown();
    for (int i = 0; i < 32; i++) {
      int offset = 1024 * 1024 + i * 1000;
      HttpResponse<byte[]> r = results.get(i).get();
      assertThat(r.statusCode()).isEqualTo(206);
      assertThat(r.body()).isEqualTo(Arrays.copyOfRange(data, offset, offset + 1000));
    }
    pool.shutdown();
    assertThat(strata.network.requests().stream().filter(r -> r.startsWith("GET ")).toList()).hasSize(1);
  }

  @Test
  void resetMidBody_clientSeesError_andNoPartialBlockIsCached() throws Exception {
    strata.raw("HEAD", "/logs/f.bin");
    strata.network.cutNextResponseAfter(600_000);
    boolean retriedWhole = false;
    try {
      HttpResponse<byte[]> r = strata.raw("GET", "/logs/f.bin", "Range", "bytes=0-2097151");
      // an error status, a short body the client can detect, or (when the connection closed
      // before any byte of the response, which HTTP clients retry) the right bytes; never wrong ones
      if (r.statusCode() == 206) {
        if (r.body().length == 2097152) {
          assertThat(r.body()).isEqualTo(Arrays.copyOf(data, 2097152));
          retriedWhole = true;
        } else {
          assertThat(r.body().length).isLessThan(2097152);
        }
      }
    } catch (java.io.IOException expected) {
      // the connection was closed mid-body: the client sees a truncated response
    }
    strata.assertCacheConsistent();
    if (!retriedWhole) {
      assertThat(strata.cache().contains(strata.cache().object("logs", "f.bin").orElseThrow().block(0))).isFalse();
    }

    HttpResponse<byte[]> retry = strata.raw("GET", "/logs/f.bin", "Range", "bytes=0-2097151");
    assertThat(retry.statusCode()).isEqualTo(206);
    assertThat(retry.body()).isEqualTo(Arrays.copyOf(data, 2097152));
  }

  @Test
  void corruptBlockOnDisk_isDetectedAndRefetched() throws Exception {
    assertThat(strata.raw("GET", "/logs/f.bin").body()).isEqualTo(data);
    strata.assertCacheConsistent(); // the last block is committed just after the response ends
    List<Path> blocks = strata.blockFiles();
    assertThat(blocks).isNotEmpty();
    for (Path block : blocks) {
      try (FileChannel ch = FileChannel.open(block, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(new byte[] {42, 42, 42, 42}), 100);
      }
    }
    strata.network.clearRequests();
    assertThat(strata.raw("GET", "/logs/f.bin").body()).isEqualTo(data);
    assertThat(strata.cache().stats().corruptBlocks()).isEqualTo(blocks.size());
    assertThat(strata.network.requests().stream().filter(r -> r.startsWith("GET ")).count()).isPositive();
  }

  @Test
  void versionChange_sameSizeNewBytes_servesOnlyNewBytes() throws Exception {
    assertThat(strata.raw("GET", "/logs/f.bin", "Range", "bytes=0-1048575").body()).isEqualTo(Arrays.copyOf(data, 1048576));
    byte[] v2 = new byte[data.length];
    new Random(12).nextBytes(v2);
    strata.put("f.bin", v2);
    Thread.sleep(5); // past strata.cache.revalidate-after = 1ms

    HttpResponse<byte[]> whole = strata.raw("GET", "/logs/f.bin");
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo(v2);
    String etag = strata.direct.headObject(b -> b.bucket("logs").key("f.bin")).eTag();
    assertThat(whole.headers().firstValue("etag")).hasValue(etag);
  }
}
