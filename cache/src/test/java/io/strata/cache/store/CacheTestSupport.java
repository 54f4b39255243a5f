package io.strata.cache.store;

import io.strata.cache.common.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cache.BlockCache;
import io.strata.cache.BlockKey;
import io.strata.cache.BlockWriter;
import io.strata.cache.CacheConfig;
import io.strata.cache.CachedBlock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Opens caches on a temp dir and checks the disk invariants after every test. */
abstract class CacheTestSupport {

  static final long BLOCK_SIZE = 4096;
  static final long MIN_TAIL = 1024;

  @TempDir Path dir;
  final TestClock clock = new TestClock();
  DiskBlockCache cache;

  DiskBlockCache open(long maxBytes) throws IOException {
    return open(config(maxBytes));
  }

  DiskBlockCache open(CacheConfig config) throws IOException {
    cache = (DiskBlockCache) BlockCache.open(config);
    return cache;
  }

  CacheConfig config(long maxBytes) {
    return new CacheConfig(dir, maxBytes, BLOCK_SIZE, MIN_TAIL, clock);
  }

  @AfterEach
  void checkInvariants() throws Exception {
    Long inMemory = null;
    if (cache != null) {
      try {
        inMemory = cache.stats().bytes();
        assertThat(cache.runningFills()).as("fills left running").isZero();
        cache.close();
      } catch (IllegalStateException alreadyClosed) {
        // The test closed it.
      }
    }
    long recorded = CacheInvariants.assertConsistent(dir);
    if (inMemory != null) {
      assertThat(inMemory).as("in-memory total vs SQLite").isEqualTo(recorded);
    }
  }

  static byte[] bytes(long length, long seed) {
    byte[] b = new byte[Math.toIntExact(length)];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Fills and commits {@code key} with {@code content}. */
  static void fill(BlockCache cache, BlockKey key, byte[] content) throws IOException {
    Optional<BlockWriter> writer = cache.tryStartFill(key, content.length);
    assertThat(writer).as("writer for %s", key).isPresent();
    try (BlockWriter w = writer.get()) {
      // Two writes, so the CRC is computed across write boundaries.
      int half = content.length / 2;
      w.write(ByteBuffer.wrap(content, 0, half));
      w.write(ByteBuffer.wrap(content, half, content.length - half));
      w.commit();
    }
  }

  static byte[] read(CachedBlock block) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(block.length()));
    while (buffer.hasRemaining()) {
      if (block.channel().read(buffer, buffer.position()) < 0) {
        break;
      }
    }
    return buffer.array();
  }

  static BlockKey key(String object, int index) {
    return new BlockKey("bucket", object, "\"etag-1\"", index);
  }
}
