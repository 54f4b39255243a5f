package io.strata.proxy.admin;

import io.micronaut.context.annotation.Context;
import io.strata.cache.BlockCache;
import io.strata.cache.CacheStats;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the cache every 5 s for the dashboard's charts: the hit ratio of each interval (not
 * since start, so a change shows) and the cached bytes. The last 10 minutes are kept in memory.
 */
@Context
final class StatusHistory implements AutoCloseable {

  static final int SAMPLES = 120;

  /** One sample: the hit ratio of the reads in the interval before it (null: no reads). */
  @io.micronaut.serde.annotation.Serdeable
  record Sample(Instant at, @io.micronaut.core.annotation.Nullable Double hitRatio, long bytes) {}

  private final BlockCache cache;
  private final Clock clock;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private final ScheduledExecutorService timer;
  private long lastHits;
  private long lastMisses;

  StatusHistory(BlockCache cache, Clock clock) {
    this.cache = cache;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "strata-status-history");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::sample, 0, 5, TimeUnit.SECONDS);
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  private synchronized void sample() {
    try {
      CacheStats stats = cache.stats();
      long hits = stats.blockHits() - lastHits;
      long misses = stats.blockMisses() - lastMisses;
      lastHits = stats.blockHits();
      lastMisses = stats.blockMisses();
      samples.addLast(new Sample(clock.instant(), hits + misses == 0 ? null : (double) hits / (hits + misses),
          stats.bytes()));
      while (samples.size() > SAMPLES) {
        samples.removeFirst();
      }
    } catch (RuntimeException e) {
      // the cache is closing: the next start samples again
    }
  }

  @PreDestroy
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
