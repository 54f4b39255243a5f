package io.strata.bench.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cache.BlockCache;
import io.strata.cache.BlockKey;
import io.strata.cache.CachedBlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator and the open probe at small scale: what {@code metadata-scale.sh} runs at 1M. */
class CacheDirGeneratorTest {

  private static final int BLOCKS = 10_000;

  @TempDir Path dir;

  @Test
  void generate_withFiles_everyBlockIsServedByTheCache() throws Exception {
    int objects = new CacheDirGenerator(dir, /* files= */ true).generate(BLOCKS);

    assertThat(objects).isEqualTo(100); // 101 blocks per object, the last one partly cached
    try (BlockCache cache = BlockCache.open(CacheDirGenerator.config(dir))) {
      assertThat(cache.stats().blocks()).isEqualTo(BLOCKS);
      assertThat(cache.stats().objects()).isEqualTo(objects);
      // First, last, a tail block and one in between: the file paths match the cache's layout and
      // the recorded CRC32C matches the sparse file's zeros.
      for (long n : new long[] {0, 100, 5_432, BLOCKS - 1}) {
        BlockKey key = CacheDirGenerator.blockKey(n);
        Optional<CachedBlock> block = cache.openBlock(key);
        assertThat(block).as("block %d", n).isPresent();
        try (CachedBlock b = block.get()) {
          assertThat(b.length()).isEqualTo(CacheDirGenerator.layout().length(key.index()));
        }
      }
      assertThat(cache.contains(CacheDirGenerator.blockKey(BLOCKS))).isFalse();
      assertThat(cache.stats().corruptBlocks()).isZero();
    }
  }

  @Test
  void generate_withoutFiles_anUncleanStartDropsEveryRow() throws Exception {
    new CacheDirGenerator(dir, /* files= */ false).generate(BLOCKS);
    // The clean-shutdown marker skips the file check, so such a directory only serves start-up
    // and index measurements; without the marker the cache reconciles and keeps nothing.
    Files.delete(dir.resolve("clean-shutdown"));

    try (BlockCache cache = BlockCache.open(CacheDirGenerator.config(dir))) {
      assertThat(cache.stats().blocks()).isZero();
    }
  }

  @Test
  void openProbe_reportsTheBlocksAndTheHeapTheyHold() throws Exception {
    new CacheDirGenerator(dir, /* files= */ false).generate(BLOCKS);

    OpenProbe probe = OpenProbe.measure(dir);

    assertThat(probe.blocks()).isEqualTo(BLOCKS);
    assertThat(probe.openMillis()).isPositive();
    // At least a key and an entry per block; a loose bound, GC timing varies.
    assertThat(probe.heapHeldBytes()).isGreaterThan(BLOCKS * 32L);
  }
}
