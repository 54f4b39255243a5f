package io.strata.cache.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cache.BlockCache;
import io.strata.cache.BlockKey;
import io.strata.cache.CacheConfig;
import io.strata.cache.CachedBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Restarts on real directories: clean, unclean (marker removed), and a damaged database. */
class RecoveryTest extends CacheTestSupport {

  private static final long LARGE = 1L << 30;

  @Test
  void reopen_afterClose_servesBlocks() throws Exception {
    open(LARGE);
    byte[] a = bytes(BLOCK_SIZE, 1);
    fill(cache, key("a", 0), a);
    cache.close();
    assertThat(dir.resolve(BlockPaths.CLEAN_SHUTDOWN)).exists();

    open(LARGE);

    assertThat(dir.resolve(BlockPaths.CLEAN_SHUTDOWN)).doesNotExist();
    assertThat(cache.stats().bytes()).isEqualTo(BLOCK_SIZE);
    try (CachedBlock block = cache.openBlock(key("a", 0)).orElseThrow()) {
      assertThat(read(block)).isEqualTo(a);
    }
  }

  @Test
  void reopen_afterUncleanStop_deletesTempAndOrphanFilesKeepsGoodBlocks() throws Exception {
    open(LARGE);
    fill(cache, key("a", 0), bytes(BLOCK_SIZE, 1));
    fill(cache, key("b", 0), bytes(BLOCK_SIZE, 2));
    cache.close();
    BlockPaths paths = new BlockPaths(dir);
    Path temp = paths.temp(key("c", 0));
    Path orphan = paths.block(key("d", 0));
    Files.createDirectories(temp.getParent());
    Files.write(temp, bytes(10, 3));
    Files.createDirectories(orphan.getParent());
    Files.write(orphan, bytes(BLOCK_SIZE, 4));
    Files.delete(dir.resolve(BlockPaths.CLEAN_SHUTDOWN));

    open(LARGE);

    assertThat(temp).doesNotExist();
    assertThat(orphan).doesNotExist();
    assertThat(cache.stats().blocks()).isEqualTo(2);
    assertThat(cache.openBlock(key("a", 0))).hasValueSatisfying(this::closeQuietly);
    assertThat(cache.openBlock(key("b", 0))).hasValueSatisfying(this::closeQuietly);
  }

  @Test
  void reopen_afterUncleanStop_dropsRowsWithMissingOrWrongSizeFile() throws Exception {
    open(LARGE);
    fill(cache, key("gone", 0), bytes(BLOCK_SIZE, 1));
    fill(cache, key("short", 0), bytes(BLOCK_SIZE, 2));
    fill(cache, key("good", 0), bytes(BLOCK_SIZE, 3));
    cache.close();
    BlockPaths paths = new BlockPaths(dir);
    Files.delete(paths.block(key("gone", 0)));
    Files.write(paths.block(key("short", 0)), bytes(10, 2));
    Files.delete(dir.resolve(BlockPaths.CLEAN_SHUTDOWN));

    open(LARGE);

    assertThat(cache.contains(key("gone", 0))).isFalse();
    assertThat(cache.contains(key("short", 0))).isFalse();
    assertThat(paths.block(key("short", 0))).doesNotExist();
    assertThat(cache.contains(key("good", 0))).isTrue();
    assertThat(cache.stats().bytes()).isEqualTo(BLOCK_SIZE);
  }

  @Test
  void reopen_afterCleanStop_stillDeletesTempFiles() throws Exception {
    open(LARGE);
    cache.close();
    Path temp = new BlockPaths(dir).temp(key("c", 0));
    Files.createDirectories(temp.getParent());
    Files.write(temp, bytes(10, 3));

    open(LARGE);

    assertThat(temp).doesNotExist();
  }

  @Test
  void reopen_smallerCap_evictsLeastRecentlyReadFirst() throws Exception {
    open(LARGE);
    for (int i = 0; i < 3; i++) {
      fill(cache, key("obj", i), bytes(BLOCK_SIZE, i));
      clock.advance(Duration.ofSeconds(1));
    }
    cache.openBlock(key("obj", 0)).ifPresent(this::closeQuietly); // persisted by close()
    cache.close();

    // Over by one block; the low watermark (95%) still holds two, so exactly one goes.
    open(2 * BLOCK_SIZE + BLOCK_SIZE / 8);
    cache.awaitEvictionIdle();

    assertThat(cache.contains(key("obj", 1))).isFalse();
    assertThat(cache.contains(key("obj", 0))).isTrue();
    assertThat(cache.contains(key("obj", 2))).isTrue();
    assertThat(cache.stats().evictions()).isEqualTo(1);
  }

  @Test
  void flushAccesses_persistsLastAccessAndObjectHits() throws Exception {
    open(LARGE);
    BlockKey k = key("obj", 0);
    cache.recordObject(new io.strata.cache.ObjectVersion("bucket", "obj", k.etag(), BLOCK_SIZE,
        clock.instant(), null, null, clock.instant()));
    fill(cache, k, bytes(BLOCK_SIZE, 1));
    clock.advance(Duration.ofMinutes(5));
    cache.openBlock(k).ifPresent(this::closeQuietly);
    cache.openBlock(k).ifPresent(this::closeQuietly);

    cache.flushAccesses();

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(BlockPaths.DATABASE));
        Statement s = c.createStatement()) {
      var rs = s.executeQuery("SELECT last_access FROM blocks");
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(clock.millis());
      rs = s.executeQuery("SELECT access_count, last_access FROM objects");
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(2);
      assertThat(rs.getLong(2)).isEqualTo(clock.millis());
    }
  }

  @Test
  void open_corruptDatabase_movesItAsideAndStartsEmpty() throws Exception {
    open(LARGE);
    fill(cache, key("a", 0), bytes(BLOCK_SIZE, 1));
    cache.close();
    Files.write(dir.resolve(BlockPaths.DATABASE), bytes(8192, 99));

    open(LARGE);

    assertThat(cache.stats().blocks()).isZero();
    assertThat(new BlockPaths(dir).block(key("a", 0))).doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith(BlockPaths.DATABASE + BlockPaths.CORRUPT_INFIX));
    }
    fill(cache, key("a", 0), bytes(BLOCK_SIZE, 1)); // usable again
  }

  @Test
  void open_databaseFromNewerVersion_failsWithoutWiping() throws Exception {
    open(LARGE);
    fill(cache, key("a", 0), bytes(BLOCK_SIZE, 1));
    cache.close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(BlockPaths.DATABASE));
        Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 99");
    }

    assertThatThrownBy(() -> BlockCache.open(config(LARGE)))
        .isInstanceOf(IOException.class).hasMessageContaining("schema version: 99 (expected: <= 7)");

    assertThat(new BlockPaths(dir).block(key("a", 0))).exists();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(BlockPaths.DATABASE));
        Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 2");
    }
  }

  @Test
  void open_directoryAlreadyOpen_fails() throws Exception {
    open(LARGE);

    assertThatThrownBy(() -> BlockCache.open(config(LARGE)))
        .isInstanceOf(IOException.class).hasMessageContaining("already open");
  }


  private void closeQuietly(CachedBlock block) {
    try {
      block.close();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void reopen_withAnotherBlockSize_dropsEveryBlock() throws Exception {
    open(LARGE);
    fill(cache, key("a", 0), bytes(BLOCK_SIZE, 1));
    Path file = new BlockPaths(dir).block(key("a", 0));
    cache.close();

    cache = (DiskBlockCache) BlockCache.open(new CacheConfig(dir, LARGE, BLOCK_SIZE * 2, MIN_TAIL, clock));

    // block 0 of the old layout holds other bytes than block 0 of the new one: never serve it
    assertThat(cache.contains(key("a", 0))).isFalse();
    assertThat(cache.stats().bytes()).isZero();
    assertThat(file).doesNotExist();
  }

  @Test
  void reopen_afterDatabaseDeletedByHand_deletesOrphanBlockFiles() throws Exception {
    open(LARGE);
    fill(cache, key("a", 0), bytes(BLOCK_SIZE, 1));
    Path file = new BlockPaths(dir).block(key("a", 0));
    cache.close();
    for (String name : new String[] {"strata.db", "strata.db-wal", "strata.db-shm"}) {
      Files.deleteIfExists(dir.resolve(name));
    }

    open(LARGE);

    assertThat(file).doesNotExist();
    assertThat(cache.stats().bytes()).isZero();
  }
}
