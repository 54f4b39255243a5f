package io.strata.cache.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cache.BlockKey;
import io.strata.cache.BlockWriter;
import io.strata.cache.CachedBlock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DiskBlockCacheTest extends CacheTestSupport {

  private static final long LARGE = 1L << 30;

  @Test
  void commit_thenOpenBlock_returnsTheBytes() throws Exception {
    open(LARGE);
    BlockKey k = key("dir/obj.parquet", 0);
    byte[] content = bytes(BLOCK_SIZE, 1);

    fill(cache, k, content);

    assertThat(cache.contains(k)).isTrue();
    try (CachedBlock block = cache.openBlock(k).orElseThrow()) {
      assertThat(block.key()).isEqualTo(k);
      assertThat(block.length()).isEqualTo(BLOCK_SIZE);
      assertThat(read(block)).isEqualTo(content);
    }
    assertThat(cache.stats().blockHits()).isEqualTo(1);
    assertThat(cache.stats().blockMisses()).isEqualTo(1);
    assertThat(cache.stats().bytes()).isEqualTo(BLOCK_SIZE);
    assertThat(cache.stats().blocks()).isEqualTo(1);
    assertThat(cache.fillDone(k)).isDone();
  }

  @Test
  void isOpen_untilClosed() throws Exception {
    open(LARGE);
    assertThat(cache.isOpen()).isTrue();

    cache.close();

    assertThat(cache.isOpen()).isFalse();
  }

  @Test
  void openBlock_unknownBlock_isEmpty() throws Exception {
    open(LARGE);
    assertThat(cache.openBlock(key("nope", 0))).isEmpty();
    assertThat(cache.stats().corruptBlocks()).isZero();
  }

  @Test
  void close_withoutCommit_leavesNothing() throws Exception {
    open(LARGE);
    BlockKey k = key("obj", 0);
    BlockWriter writer = cache.tryStartFill(k, BLOCK_SIZE).orElseThrow();
    writer.write(ByteBuffer.wrap(bytes(100, 2)));
    assertThat(new BlockPaths(dir).temp(k)).exists();

    writer.close();

    assertThat(new BlockPaths(dir).temp(k)).doesNotExist();
    assertThat(cache.contains(k)).isFalse();
    assertThat(cache.fillDone(k)).isDone();
    // The claim is released: the block can be filled again.
    fill(cache, k, bytes(BLOCK_SIZE, 3));
  }

  @Test
  void commit_shortWrite_failsAndLeavesNothing() throws Exception {
    open(LARGE);
    BlockKey k = key("obj", 0);
    BlockWriter writer = cache.tryStartFill(k, BLOCK_SIZE).orElseThrow();
    writer.write(ByteBuffer.wrap(bytes(BLOCK_SIZE - 1, 4)));

    assertThatThrownBy(writer::commit).isInstanceOf(IOException.class)
        .hasMessageContaining("4095 bytes written (expected: 4096)");

    writer.close();
    assertThat(cache.contains(k)).isFalse();
    assertThat(cache.openBlock(k)).isEmpty();
    assertThat(cache.fillDone(k)).isDone();
    assertThat(cache.stats().bytes()).isZero();
  }

  @Test
  void write_pastLength_failsAndAborts() throws Exception {
    open(LARGE);
    BlockKey k = key("obj", 0);
    BlockWriter writer = cache.tryStartFill(k, 10).orElseThrow();
    writer.write(ByteBuffer.wrap(bytes(6, 5)));

    assertThatThrownBy(() -> writer.write(ByteBuffer.wrap(bytes(5, 6))))
        .isInstanceOf(IOException.class).hasMessageContaining("11 bytes (expected: <= 10)");

    assertThatThrownBy(writer::commit).isInstanceOf(IllegalStateException.class);
    writer.close();
    assertThat(cache.contains(k)).isFalse();
    assertThat(new BlockPaths(dir).temp(k)).doesNotExist();
  }

  @Test
  void tryStartFill_badLength_isRejected() throws Exception {
    open(LARGE);
    assertThatThrownBy(() -> cache.tryStartFill(key("obj", 0), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("length: 0 (expected: 0 < length <= 5120)");
    assertThatThrownBy(() -> cache.tryStartFill(key("obj", 0), BLOCK_SIZE + MIN_TAIL + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tryStartFill_committedBlock_isEmptyAndFillDoneIsComplete() throws Exception {
    open(LARGE);
    BlockKey k = key("obj", 0);
    fill(cache, k, bytes(BLOCK_SIZE, 7));

    assertThat(cache.tryStartFill(k, BLOCK_SIZE)).isEmpty();
    assertThat(cache.fillDone(k)).isDone();
    assertThat(cache.stats().blockMisses()).isEqualTo(1);
  }

  @Test
  void tryStartFill_32ConcurrentThreads_handsOutOneWriter() throws Exception {
    open(LARGE);
    BlockKey k = key("hot", 0);
    int threads = 32;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Optional<BlockWriter>>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return cache.tryStartFill(k, BLOCK_SIZE);
        }));
      }
      start.countDown();
      List<BlockWriter> writers = new ArrayList<>();
      for (Future<Optional<BlockWriter>> r : results) {
        r.get(10, TimeUnit.SECONDS).ifPresent(writers::add);
      }

      assertThat(writers).hasSize(1);
      CompletableFuture<Void> waiter = cache.fillDone(k);
      assertThat(waiter).isNotDone();
      try (BlockWriter w = writers.get(0)) {
        w.write(ByteBuffer.wrap(bytes(BLOCK_SIZE, 8)));
        w.commit();
      }
      assertThat(waiter).isCompleted();
      assertThat(cache.stats().blockMisses()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void fillDone_abortedFill_completesNormally() throws Exception {
    open(LARGE);
    BlockKey k = key("obj", 0);
    BlockWriter writer = cache.tryStartFill(k, BLOCK_SIZE).orElseThrow();
    CompletableFuture<Void> first = cache.fillDone(k);
    CompletableFuture<Void> second = cache.fillDone(k);
    assertThat(cache.tryStartFill(k, BLOCK_SIZE)).isEmpty();

    // A waiter meddling with its own future does not release the others.
    first.cancel(false);
    assertThat(second).isNotDone();

    writer.close();
    assertThat(second).isCompleted();
    assertThat(cache.tryStartFill(k, BLOCK_SIZE)).hasValueSatisfying(BlockWriter::close);
  }

  @Test
  void openBlock_flippedByte_dropsBlock() throws Exception {
    open(LARGE);
    BlockKey k = key("obj", 3);
    fill(cache, k, bytes(BLOCK_SIZE, 9));
    Path file = new BlockPaths(dir).block(k);
    byte[] onDisk = Files.readAllBytes(file);
    onDisk[1234] ^= 0x01;
    Files.write(file, onDisk);

    assertThat(cache.openBlock(k)).isEmpty();

    assertThat(cache.contains(k)).isFalse();
    assertThat(file).doesNotExist();
    assertThat(cache.stats().corruptBlocks()).isEqualTo(1);
    assertThat(cache.stats().bytes()).isZero();
    // The caller refetches.
    fill(cache, k, bytes(BLOCK_SIZE, 9));
    assertThat(cache.openBlock(k)).hasValueSatisfying(this::closeQuietly);
  }

  /**
   * A block's bytes are checked once: after that, its file's unchanged modification time and
   * length stand for the check, so a hit does not read the whole block again. Any write to the
   * file changes its time and brings the check back.
   */
  @Test
  void openBlock_checkedFileWithUnchangedTime_isNotReadAgain_butAWriteBringsTheCheckBack() throws Exception {
    open(LARGE);
    BlockKey k = key("obj", 0);
    fill(cache, k, bytes(BLOCK_SIZE, 12));
    Path file = new BlockPaths(dir).block(k);
    FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
    Files.setLastModifiedTime(file, old); // older than the racy window: the check can be trusted
    assertThat(cache.openBlock(k)).hasValueSatisfying(this::closeQuietly); // checked now

    // Bytes changed with the time put back (nothing but a deliberate act does this): not re-read.
    byte[] onDisk = Files.readAllBytes(file);
    onDisk[99] ^= 0x01;
    Files.write(file, onDisk);
    Files.setLastModifiedTime(file, old);
    assertThat(cache.openBlock(k)).as("trusted by its unchanged time and size").hasValueSatisfying(this::closeQuietly);
    assertThat(cache.stats().corruptBlocks()).isZero();

    // A plain write moves the time: checked again, and dropped.
    Files.write(file, onDisk);
    assertThat(cache.openBlock(k)).isEmpty();
    assertThat(cache.stats().corruptBlocks()).isEqualTo(1);
  }

  @Test
  void openBlock_recentlyWrittenFile_isCheckedOnEveryOpen() throws Exception {
    open(LARGE);
    BlockKey k = key("obj", 0);
    fill(cache, k, bytes(BLOCK_SIZE, 13));
    Path file = new BlockPaths(dir).block(k);
    assertThat(cache.openBlock(k)).hasValueSatisfying(this::closeQuietly);
    // within the racy window a write may keep the same timestamp tick: it must still be caught
    byte[] onDisk = Files.readAllBytes(file);
    onDisk[7] ^= 0x01;
    FileTime before = Files.getLastModifiedTime(file);
    Files.write(file, onDisk);
    Files.setLastModifiedTime(file, before);
    assertThat(cache.openBlock(k)).isEmpty();
    assertThat(cache.stats().corruptBlocks()).isEqualTo(1);
  }

  @Test
  void openBlock_fileDeletedBehindTheCachesBack_dropsBlock() throws Exception {
    open(LARGE);
    BlockKey k = key("obj", 0);
    fill(cache, k, bytes(BLOCK_SIZE, 10));
    Files.delete(new BlockPaths(dir).block(k));

    assertThat(cache.openBlock(k)).isEmpty();

    assertThat(cache.contains(k)).isFalse();
    assertThat(cache.stats().corruptBlocks()).isEqualTo(1);
    assertThat(cache.stats().blockHits()).isZero();
  }

  @Test
  void openBlock_truncatedFile_dropsBlock() throws Exception {
    open(LARGE);
    BlockKey k = key("obj", 0);
    fill(cache, k, bytes(BLOCK_SIZE, 11));
    Path file = new BlockPaths(dir).block(k);
    Files.write(file, bytes(100, 11));

    assertThat(cache.openBlock(k)).isEmpty();
    assertThat(cache.stats().corruptBlocks()).isEqualTo(1);
  }

  @Test
  void openBlock_blockForgottenWhileServed_staysReadable() throws Exception {
    open(LARGE);
    BlockKey k = key("served", 0);
    byte[] content = bytes(BLOCK_SIZE, 12);
    fill(cache, k, content);
    try (CachedBlock block = cache.openBlock(k).orElseThrow()) {
      cache.forgetObject("bucket", "served");
      assertThat(cache.contains(k)).isFalse();

      assertThat(read(block)).isEqualTo(content);
    }
  }

  @Test
  void evict_blockBeingRead_isSkippedUntilClosed() throws Exception {
    open(2 * BLOCK_SIZE);
    BlockKey served = key("served", 0);
    fill(cache, served, bytes(BLOCK_SIZE, 12));
    CachedBlock block = cache.openBlock(served).orElseThrow();
    clock.advance(Duration.ofSeconds(1)); // the others are younger: served would go first

    fill(cache, key("other", 0), bytes(BLOCK_SIZE, 13));
    fill(cache, key("other", 1), bytes(BLOCK_SIZE, 14));
    cache.awaitEvictionIdle();

    assertThat(cache.contains(served)).isTrue();
    assertThat(cache.contains(key("other", 0))).isFalse();
    block.close();
    fill(cache, key("other", 2), bytes(BLOCK_SIZE, 15));
    fill(cache, key("other", 3), bytes(BLOCK_SIZE, 16));
    cache.awaitEvictionIdle();
    assertThat(cache.contains(served)).isFalse();
  }

  @Test
  void evict_overCap_removesLeastRecentlyUsed() throws Exception {
    open(4 * BLOCK_SIZE);
    for (int i = 0; i < 4; i++) {
      fill(cache, key("obj", i), bytes(BLOCK_SIZE, i));
      clock.advance(Duration.ofSeconds(1));
    }
    cache.openBlock(key("obj", 0)).ifPresent(this::closeQuietly); // 1 is now the eldest

    fill(cache, key("obj", 4), bytes(BLOCK_SIZE, 4));
    cache.awaitEvictionIdle(); // 5 blocks: down to 95% of 4 leaves 3
    fill(cache, key("obj", 5), bytes(BLOCK_SIZE, 5));
    cache.awaitEvictionIdle(); // 4 blocks: at the cap, not over

    assertThat(cache.contains(key("obj", 1))).isFalse();
    assertThat(cache.contains(key("obj", 2))).isFalse();
    assertThat(cache.contains(key("obj", 0))).isTrue();
    assertThat(cache.contains(key("obj", 3))).isTrue();
    assertThat(cache.contains(key("obj", 5))).isTrue();
    assertThat(cache.stats().evictions()).isEqualTo(2);
    assertThat(cache.stats().bytes()).isLessThanOrEqualTo(4 * BLOCK_SIZE);
    assertThat(new BlockPaths(dir).block(key("obj", 1))).doesNotExist();
  }

  @Test
  void evict_freesDownToTheLowWatermark_notJustUnderTheCap() throws Exception {
    open(40 * BLOCK_SIZE);
    for (int i = 0; i <= 40; i++) {
      fill(cache, key("obj", i), bytes(BLOCK_SIZE, i));
      clock.advance(Duration.ofSeconds(1));
    }
    cache.awaitEvictionIdle();

    // 41 blocks, low watermark 38: one pass frees 3, leaving room for two commits before the next.
    assertThat(cache.stats().evictions()).isEqualTo(3);
    assertThat(cache.stats().bytes()).isEqualTo(38 * BLOCK_SIZE);
    assertThat(cache.contains(key("obj", 2))).isFalse();
    assertThat(cache.contains(key("obj", 3))).isTrue();
  }

  private void closeQuietly(CachedBlock block) {
    try {
      block.close();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void close_thenUse_fails() throws Exception {
    open(LARGE);
    cache.close();
    cache.close(); // idempotent

    assertThatThrownBy(() -> cache.openBlock(key("obj", 0)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    assertThatThrownBy(() -> cache.tryStartFill(key("obj", 0), 10))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void commit_afterCacheClosed_failsAndLeavesNothing() throws Exception {
    open(LARGE);
    BlockKey k = key("obj", 0);
    BlockWriter writer = cache.tryStartFill(k, 10).orElseThrow();
    writer.write(ByteBuffer.wrap(bytes(10, 1)));
    cache.close();

    assertThatThrownBy(writer::commit).isInstanceOf(IOException.class).hasMessageContaining("closed");
    assertThat(new BlockPaths(dir).temp(k)).doesNotExist();
  }
}
