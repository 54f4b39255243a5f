package io.strata.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.strata.cache.BlockKey;
import io.strata.cache.CachedBlock;
import io.strata.cache.Retention;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Priority eviction on a real cache: retention classes and protected blocks, LRU then access
 * count within a class, project caps, the background evictor, access counts across a restart and
 * the warn level.
 */
class EvictionTest extends CacheTestSupport {

  /** A retention that answers from a map (default class 0), like the application's will. */
  static final class FakeRetention implements Retention {
    final Map<BlockKey, Integer> classes = new ConcurrentHashMap<>();

    @Override
    public int priority(BlockKey block) {
      return classes.getOrDefault(block, 0);
    }
  }

  final FakeRetention retention = new FakeRetention();

  @Test
  void evict_protectedBlocksNeverGo_evenWhenOldest() throws Exception {
    open(config(4 * BLOCK_SIZE).withRetention(retention));
    for (int i = 0; i < 3; i++) {
      retention.classes.put(key("pinned", i), Retention.PROTECTED);
      fill(cache, key("pinned", i), bytes(BLOCK_SIZE, i));
    }
    clock.advance(Duration.ofSeconds(1));
    for (int i = 0; i < 3; i++) {
      fill(cache, key("plain", i), bytes(BLOCK_SIZE, 10 + i));
    }
    cache.awaitEvictionIdle();

    int plainLeft = 0;
    for (int i = 0; i < 3; i++) {
      assertThat(cache.contains(key("pinned", i))).as("pinned %d", i).isTrue();
      plainLeft += cache.contains(key("plain", i)) ? 1 : 0;
    }
    // Whether the last plain block stays depends on whether its commit merged into a pass (the
    // cache is exactly at its cap with it); the older ones always go, the pinned ones never.
    assertThat(cache.contains(key("plain", 0))).isFalse();
    assertThat(cache.contains(key("plain", 1))).isFalse();
    assertThat(plainLeft).isLessThanOrEqualTo(1);
    assertThat(cache.stats().bytes()).isLessThanOrEqualTo(4 * BLOCK_SIZE);
    assertThat(cache.stats().protectedBytes()).isEqualTo(3 * BLOCK_SIZE);
    assertThat(cache.protectedBytes()).isEqualTo(3 * BLOCK_SIZE);
  }

  @Test
  void evict_protectedAloneOverTheCap_keepsThemAndReportsShort() throws Exception {
    open(config(2 * BLOCK_SIZE).withRetention(retention));
    for (int i = 0; i < 3; i++) {
      retention.classes.put(key("pinned", i), Retention.PROTECTED);
      fill(cache, key("pinned", i), bytes(BLOCK_SIZE, i));
    }

    assertThat(cache.evictNow()).as("caps met").isFalse();

    assertThat(cache.stats().blocks()).isEqualTo(3);
    assertThat(cache.stats().evictions()).isZero();
    // Pins released: the next pass evicts them, down to the low watermark.
    retention.classes.remove(key("pinned", 0));
    retention.classes.remove(key("pinned", 1));
    assertThat(cache.evictNow()).isTrue();
    assertThat(cache.contains(key("pinned", 0))).isFalse();
    assertThat(cache.contains(key("pinned", 1))).isFalse();
    assertThat(cache.contains(key("pinned", 2))).isTrue();
  }

  @Test
  void evict_higherClassOutlivesLowerClass_whateverTheAge() throws Exception {
    open(config(4 * BLOCK_SIZE).withRetention(retention));
    for (int i = 0; i < 2; i++) { // oldest, but visible
      retention.classes.put(key("visible", i), 10);
      fill(cache, key("visible", i), bytes(BLOCK_SIZE, i));
    }
    clock.advance(Duration.ofSeconds(1));
    retention.classes.put(key("recent", 0), 5);
    fill(cache, key("recent", 0), bytes(BLOCK_SIZE, 5));
    clock.advance(Duration.ofSeconds(1));
    fill(cache, key("default", 0), bytes(BLOCK_SIZE, 6)); // newest, class 0
    clock.advance(Duration.ofSeconds(1));
    fill(cache, key("default", 1), bytes(BLOCK_SIZE, 7));
    cache.awaitEvictionIdle();

    // 5 blocks, down to 3: the two class-0 blocks go although they are the newest.
    assertThat(cache.contains(key("default", 0))).isFalse();
    assertThat(cache.contains(key("default", 1))).isFalse();
    assertThat(cache.contains(key("recent", 0))).isTrue();
    assertThat(cache.contains(key("visible", 0))).isTrue();
    assertThat(cache.contains(key("visible", 1))).isTrue();

    // Classes are asked at eviction time: demote the visible ones and they go before "recent".
    retention.classes.put(key("visible", 0), 0);
    retention.classes.put(key("visible", 1), 0);
    clock.advance(Duration.ofSeconds(1));
    fill(cache, key("default", 2), bytes(BLOCK_SIZE, 8));
    fill(cache, key("default", 3), bytes(BLOCK_SIZE, 9));
    cache.awaitEvictionIdle();
    assertThat(cache.contains(key("visible", 0))).isFalse();
    assertThat(cache.contains(key("visible", 1))).isFalse();
    assertThat(cache.contains(key("recent", 0))).isTrue();
  }

  @Test
  void evict_withinAClass_leastRecentFirst_thenFewestReads() throws Exception {
    open(4 * BLOCK_SIZE);
    // a, b, c at the same millisecond; d later. Reads at that same millisecond: a twice, b once.
    for (String name : new String[] {"a", "b", "c"}) {
      fill(cache, key(name, 0), bytes(BLOCK_SIZE, name.charAt(0)));
    }
    readAndClose(key("a", 0));
    readAndClose(key("a", 0));
    readAndClose(key("b", 0));
    clock.advance(Duration.ofSeconds(1));
    fill(cache, key("d", 0), bytes(BLOCK_SIZE, 4));
    clock.advance(Duration.ofSeconds(1));

    fill(cache, key("e", 0), bytes(BLOCK_SIZE, 5));
    cache.awaitEvictionIdle();

    // 5 blocks, down to 3: c (no reads) then b (one read); a (two reads) stays, as does d (later).
    assertThat(cache.contains(key("c", 0))).isFalse();
    assertThat(cache.contains(key("b", 0))).isFalse();
    assertThat(cache.contains(key("a", 0))).isTrue();
    assertThat(cache.contains(key("d", 0))).isTrue();
    assertThat(cache.contains(key("e", 0))).isTrue();
  }

  @Test
  void projectCap_overOneProject_evictsOnlyItsOwnBlocks() throws Exception {
    open(config(1L << 30).withProjectCap(4 * BLOCK_SIZE, 1));
    // Project "well-2" is older than every block of "well-1": plain LRU would take it first.
    fill(cache, key("well-2/gr.parquet", 0), bytes(BLOCK_SIZE, 1));
    fill(cache, key("well-2/gr.parquet", 1), bytes(BLOCK_SIZE, 2));
    fill(cache, key("top-level.bin", 0), bytes(BLOCK_SIZE, 3)); // its own project
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(1));
      fill(cache, key("well-1/a/rhob.parquet", i), bytes(BLOCK_SIZE, 10 + i));
    }
    cache.awaitEvictionIdle();

    // well-1 held 5 blocks over a cap of 4: down to 95% of 4 leaves 3, its oldest two go.
    assertThat(cache.contains(key("well-1/a/rhob.parquet", 0))).isFalse();
    assertThat(cache.contains(key("well-1/a/rhob.parquet", 1))).isFalse();
    assertThat(cache.contains(key("well-1/a/rhob.parquet", 2))).isTrue();
    assertThat(cache.contains(key("well-2/gr.parquet", 0))).isTrue();
    assertThat(cache.contains(key("well-2/gr.parquet", 1))).isTrue();
    assertThat(cache.contains(key("top-level.bin", 0))).isTrue();
    assertThat(cache.stats().projects()).containsExactly(
        Map.entry("bucket/well-1", 3 * BLOCK_SIZE),
        Map.entry("bucket/well-2", 2 * BLOCK_SIZE),
        Map.entry("bucket/top-level.bin", BLOCK_SIZE));
  }

  @Test
  void commit_returnsWithoutEvicting_andTheEvictorBringsItUnderTheLowWatermark() throws Exception {
    GatedRetention gated = new GatedRetention();
    long cap = 8 * BLOCK_SIZE;
    open(config(cap).withRetention(gated));
    for (int i = 0; i < 8; i++) {
      fill(cache, key("obj", i), bytes(BLOCK_SIZE, i));
    }
    gated.close();

    fill(cache, key("obj", 8), bytes(BLOCK_SIZE, 8)); // over the cap: wakes the evictor
    assertThat(gated.evictorEntered.await(30, TimeUnit.SECONDS)).as("the evictor ran").isTrue();
    // The commit returned while the evictor is held inside its pass: nothing was evicted inline.
    assertThat(cache.stats().bytes()).isEqualTo(9 * BLOCK_SIZE);
    assertThat(cache.stats().evictions()).isZero();
    // Within the headroom (5% of the cap, at least one block) fills start without waiting.
    fill(cache, key("obj", 9), bytes(BLOCK_SIZE, 9));
    assertThat(cache.stats().bytes()).isEqualTo(10 * BLOCK_SIZE);

    gated.open();
    cache.awaitEvictionIdle();
    assertThat(cache.stats().bytes()).isLessThanOrEqualTo(DiskBlockCache.lowWatermark(cap));
    assertThat(cache.stats().evictions()).isPositive();
  }

  @Test
  void tryStartFill_farOverTheCapWithTheEvictorHeld_waitsOnlyBriefly() throws Exception {
    GatedRetention gated = new GatedRetention();
    long cap = 8 * BLOCK_SIZE;
    open(config(cap).withRetention(gated));
    gated.close();
    for (int i = 0; i < 10; i++) { // the ninth wakes the evictor, which is then held
      fill(cache, key("obj", i), bytes(BLOCK_SIZE, i));
    }
    assertThat(gated.evictorEntered.await(30, TimeUnit.SECONDS)).isTrue();

    // Over the cap by more than the headroom: this fill waits for the evictor, but not forever.
    fill(cache, key("obj", 10), bytes(BLOCK_SIZE, 10));

    gated.open();
    cache.awaitEvictionIdle();
    assertThat(cache.stats().bytes()).isLessThanOrEqualTo(DiskBlockCache.lowWatermark(cap));
  }

  @Test
  void restart_keepsAccessCounts() throws Exception {
    open(LARGE);
    // Same millisecond throughout; "a" loads before "b", so without counts "a" would go first.
    fill(cache, key("a", 0), bytes(BLOCK_SIZE, 1));
    fill(cache, key("b", 0), bytes(BLOCK_SIZE, 2));
    for (int i = 0; i < 3; i++) {
      readAndClose(key("a", 0));
    }
    readAndClose(key("b", 0));
    cache.close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(BlockPaths.DATABASE));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT key, access_count FROM blocks ORDER BY key")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(2)).as("reads of a").isEqualTo(3);
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(2)).as("reads of b").isEqualTo(1);
    }

    open(2 * BLOCK_SIZE - 1); // one block must go
    cache.awaitEvictionIdle();

    assertThat(cache.contains(key("b", 0))).isFalse();
    assertThat(cache.contains(key("a", 0))).isTrue();
  }

  @Test
  void warnLevel_logsOnceWhenCrossed_andOnceWhenBack() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(WarnLevel.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      open(config(10 * BLOCK_SIZE).withWarnRatio(0.5));
      for (int i = 0; i < 8; i++) {
        fill(cache, key("obj", i), bytes(BLOCK_SIZE, i));
      }
      assertThat(cache.stats().aboveWarnLevel()).isTrue();
      assertThat(cache.stats().warnBytes()).isEqualTo(5 * BLOCK_SIZE);

      cache.forgetObject("bucket", "obj");

      assertThat(cache.stats().aboveWarnLevel()).isFalse();
      assertThat(logs.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
      assertThat(logs.list.get(0).getFormattedMessage()).contains("above its warn level of 20480 bytes");
    } finally {
      logger.detachAppender(logs);
    }
  }

  private static final long LARGE = 1L << 30;

  private void readAndClose(BlockKey key) throws IOException {
    Optional<CachedBlock> block = cache.openBlock(key);
    assertThat(block).as("block %s", key).isPresent();
    block.get().close();
  }

  /**
   * Holds the evictor inside its pass while closed (answers from other threads, such as
   * {@code stats()}, are not held), so a test can look at the cache between a commit and the
   * eviction it triggered.
   */
  static final class GatedRetention implements Retention {
    final CountDownLatch evictorEntered = new CountDownLatch(1);
    private volatile CountDownLatch gate = new CountDownLatch(0);

    void close() {
      gate = new CountDownLatch(1);
    }

    void open() {
      gate.countDown();
    }

    @Override
    public int priority(BlockKey block) {
      if (Thread.currentThread().getName().equals("strata-cache-evictor")) {
        evictorEntered.countDown();
        try {
          gate.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return 0;
    }
  }
}
