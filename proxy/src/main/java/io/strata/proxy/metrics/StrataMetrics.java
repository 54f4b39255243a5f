package io.strata.proxy.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.strata.cache.BlockCache;
import io.strata.cache.CacheStats;
import io.strata.cache.uploads.PendingUpload;
import io.strata.cache.uploads.UploadQueue;
import io.strata.proxy.upstream.UpstreamHealth;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/**
 * The state of the cache, the upload queue and the upstream as meters, read when Prometheus
 * scrapes: cache bytes, cap, blocks, hits, misses, evictions; queue depth, bytes and the age of
 * its oldest write; whether the upstream is online.
 */
@Singleton
final class StrataMetrics implements MeterBinder {

  private final BlockCache cache;
  private final UploadQueue queue;
  private final UpstreamHealth health;
  private final Clock clock;
  private final io.strata.proxy.s3.ServedBytes served;
  /**
   * The latest cache stats and when they were taken: five meters read them in one scrape, and
   * taking them walks every block (protected bytes), which at a million blocks costs a good part
   * of a second. One walk per second at most.
   */
  private volatile StatsSample latest;

  private record StatsSample(long takenAtNanos, CacheStats stats) {}

  StrataMetrics(BlockCache cache, UploadQueue queue, UpstreamHealth health, Clock clock,
      io.strata.proxy.s3.ServedBytes served) {
    this.served = served;
    this.cache = cache;
    this.queue = queue;
    this.health = health;
    this.clock = clock;
  }

  private CacheStats stats() {
    StatsSample sample = latest;
    long now = System.nanoTime();
    if (sample == null || now - sample.takenAtNanos() > 1_000_000_000L) {
      sample = new StatsSample(now, cache.stats());
      latest = sample;
    }
    return sample.stats();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("strata.cache.bytes", cache, c -> stats().bytes()).baseUnit("bytes")
        .description("Bytes of cached blocks").register(registry);
    Gauge.builder("strata.cache.max.bytes", cache, c -> c.config().maxBytes()).baseUnit("bytes")
        .description("The cache's cap (strata.cache.max-size)").register(registry);
    Gauge.builder("strata.cache.blocks", cache, c -> stats().blocks()).description("Cached blocks")
        .register(registry);
    FunctionCounter.builder("strata.cache.block.hits", cache, c -> stats().blockHits())
        .description("Block reads served from the cache").register(registry);
    FunctionCounter.builder("strata.cache.block.misses", cache, c -> stats().blockMisses())
        .description("Block reads that had to fetch from the upstream").register(registry);
    FunctionCounter.builder("strata.cache.evictions", cache, c -> stats().evictions())
        .description("Blocks evicted").register(registry);
    Gauge.builder("strata.uploads.queued", queue, q -> q.all().size())
        .description("Writes waiting to be delivered upstream").register(registry);
    Gauge.builder("strata.uploads.queued.bytes", queue, UploadQueue::pendingBytes).baseUnit("bytes")
        .description("Bytes of writes waiting to be delivered upstream").register(registry);
    Gauge.builder("strata.uploads.oldest.age", queue, q -> q.all().stream().map(PendingUpload::createdAt)
            .min(java.util.Comparator.naturalOrder())
            .map(t -> Duration.between(t, clock.instant()).toMillis() / 1000.0).orElse(0.0))
        .baseUnit("seconds").description("Age of the oldest queued write").register(registry);
    FunctionCounter.builder("strata.served.cache.bytes", served, io.strata.proxy.s3.ServedBytes::fromCache)
        .baseUnit("bytes").description("Body bytes sent to clients from cached blocks").register(registry);
    FunctionCounter.builder("strata.served.upstream.bytes", served, io.strata.proxy.s3.ServedBytes::fromUpstream)
        .baseUnit("bytes").description("Body bytes sent to clients as they arrived from the upstream")
        .register(registry);
    Gauge.builder("strata.upstream.online", health, h -> h.isOnline() ? 1 : 0)
        .description("1 while the upstream is reachable, 0 while offline").register(registry);
  }
}
