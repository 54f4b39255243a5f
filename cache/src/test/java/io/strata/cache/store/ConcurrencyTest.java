package io.strata.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cache.BlockKey;
import io.strata.cache.BlockWriter;
import io.strata.cache.CachedBlock;
import io.strata.cache.ObjectVersion;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reads, fills, evictions, version changes and forgets racing on a few hot keys under a small cap.
 * Every block read must hold its own bytes, and the invariants must hold afterwards.
 */
class ConcurrencyTest extends CacheTestSupport {

  @Test
  void mixedOperations_manyThreads_keepInvariantsAndServeRightBytes() throws Exception {
    open(6 * BLOCK_SIZE);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        done.add(pool.submit(() -> {
          run(new Random(seed), 400);
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    cache.awaitEvictionIdle();
    assertThat(cache.stats().bytes()).isLessThanOrEqualTo(6 * BLOCK_SIZE);
    assertThat(cache.stats().corruptBlocks()).isZero();
    // Not vacuous: blocks were served, filled and evicted.
    assertThat(cache.stats().blockHits()).isPositive();
    assertThat(cache.stats().evictions()).isPositive();
  }

  private void run(Random random, int operations) throws Exception {
    for (int i = 0; i < operations; i++) {
      String object = "obj" + random.nextInt(3);
      String etag = "e" + random.nextInt(2);
      BlockKey k = new BlockKey("bucket", object, etag, random.nextInt(4));
      int op = random.nextInt(20);
      if (op == 0) {
        Instant now = Instant.ofEpochMilli(1000);
        cache.recordObject(new ObjectVersion("bucket", object, etag, 4 * BLOCK_SIZE, now, null, null, now));
      } else if (op == 1) {
        cache.forgetObject("bucket", object);
      } else if (op == 2) {
        cache.flushAccesses();
      } else {
        Optional<CachedBlock> hit = cache.openBlock(k);
        if (hit.isPresent()) {
          try (CachedBlock block = hit.get()) {
            assertThat(read(block)).isEqualTo(content(k));
          }
          continue;
        }
        Optional<BlockWriter> writer = cache.tryStartFill(k, BLOCK_SIZE);
        if (writer.isEmpty()) {
          cache.fillDone(k).get(10, TimeUnit.SECONDS);
          continue;
        }
        try (BlockWriter w = writer.get()) {
          w.write(ByteBuffer.wrap(content(k)));
          if (random.nextInt(10) > 0) {
            w.commit();
          }
        }
      }
    }
  }

  private static byte[] content(BlockKey k) {
    return bytes(BLOCK_SIZE, k.hashCode());
  }
}
