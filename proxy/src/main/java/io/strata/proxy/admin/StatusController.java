package io.strata.proxy.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.strata.cache.BlockCache;
import io.strata.cache.CacheStats;
import io.strata.cache.uploads.UploadQueue;
import io.strata.proxy.upstream.UpstreamHealth;
import java.time.Instant;
import java.util.List;

/** {@code GET /api/status}: can I work offline, how full is the cache, what waits to upload. */
@Controller("/api/status")
@ExecuteOn(TaskExecutors.BLOCKING)
final class StatusController {

  @Serdeable
  record Project(String project, long bytes) {}

  @Serdeable
  record Cache(long bytes, long maxBytes, long warnBytes, long protectedBytes, long blocks, long objects,
      long hits, long misses, @Nullable Double hitRatio, long evictions, boolean aboveWarnLevel,
      List<Project> projects) {

    static Cache of(CacheStats s) {
      long reads = s.blockHits() + s.blockMisses();
      return new Cache(s.bytes(), s.maxBytes(), s.warnBytes(), s.protectedBytes(), s.blocks(), s.objects(),
          s.blockHits(), s.blockMisses(), reads == 0 ? null : (double) s.blockHits() / reads, s.evictions(),
          s.aboveWarnLevel(),
          s.projects().entrySet().stream().map(e -> new Project(e.getKey(), e.getValue())).toList());
    }
  }

  @Serdeable
  record Uploads(int count, long bytes) {}

  /** Body bytes sent to clients since the start, by where they came from. */
  @Serdeable
  record Served(long fromCache, long fromUpstream) {}

  @Serdeable
  record Status(boolean online, Instant since, @Nullable String reason, String upstream, Cache cache,
      Served served, Uploads uploads, @Nullable SyncController.Run lastSync, List<StatusHistory.Sample> history) {}

  private final UpstreamHealth health;
  private final BlockCache cache;
  private final UploadQueue queue;
  private final StatusHistory history;
  private final io.strata.proxy.s3.ServedBytes served;

  StatusController(UpstreamHealth health, BlockCache cache, UploadQueue queue, StatusHistory history,
      io.strata.proxy.s3.ServedBytes served) {
    this.served = served;
    this.health = health;
    this.cache = cache;
    this.queue = queue;
    this.history = history;
  }

  @Get
  Status status() {
    UpstreamHealth.State state = health.state();
    var lastSync = cache.syncLog().latest(1).stream().findFirst().map(SyncController.Run::of).orElse(null);
    return new Status(state.online(), state.since(), state.reason(), health.endpoint().toString(),
        Cache.of(cache.stats()), new Served(served.fromCache(), served.fromUpstream()), new Uploads(queue.all().size(), queue.pendingBytes()), lastSync, history.samples());
  }
}
