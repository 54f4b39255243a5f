package io.strata.proxy.parquet;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.strata.cache.BlockCache;
import io.strata.cache.BlockLayout;
import io.strata.cache.ObjectVersion;
import io.strata.cache.meta.SyncLog;
import io.strata.cache.uploads.UploadQueue;
import io.strata.proxy.config.ConfigValues;
import io.strata.proxy.s3.CacheFiller;
import io.strata.proxy.s3.ObjectMetadata;
import io.strata.proxy.uploads.UploadFlusher;
import io.strata.proxy.upstream.UpstreamHealth;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync cycle (the seed design's Scenario 3), every {@code strata.sync.interval} and at once
 * when the upstream comes back: deliver the upload queue first, then revalidate what users care
 * about (pinned, visible, favorite, recently read) with conditional requests, re-fetch the cached
 * bytes of any object that changed (its Parquet footer first), and re-plan pins and favorites so
 * new objects under a pinned prefix are fetched. Each run is a row in {@code sync_state}.
 */
@Context
public final class BackgroundSync implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BackgroundSync.class);
  /** Objects read within this long count as recent, and are revalidated. */
  static final Duration RECENT = Duration.ofHours(24);
  /** The most objects one run revalidates (the most recently read first). */
  static final int MAX_OBJECTS = 10_000;
  /** How long a run waits for the upload queue to drain, and for its fetches. */
  static final Duration WAIT = Duration.ofMinutes(10);

  /** A run in progress: its phase and how far it got. */
  public record Progress(String trigger, Instant startedAt, String phase, long objectsChecked, long objectsToCheck) {}

  /** What a run did. */
  public record Run(long id, String trigger, Instant startedAt, Instant finishedAt, long objectsChecked,
      long objectsChanged, long bytesFetched, List<String> errors) {}

  private final BlockCache cache;
  private final ObjectMetadata metadata;
  private final UploadFlusher flusher;
  private final UploadQueue queue;
  private final UpstreamHealth health;
  private final Pins pins;
  private final Favorites favorites;
  private final VisibleSet visible;
  private final ParquetFooters footers;
  private final CacheFiller filler;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private volatile Progress progress;

  BackgroundSync(BlockCache cache, ObjectMetadata metadata, UploadFlusher flusher, UploadQueue queue,
      UpstreamHealth health, Pins pins, Favorites favorites, VisibleSet visible, ParquetFooters footers,
      CacheFiller filler, Clock clock,
      @Value("${strata.sync.interval:5m}") String interval) {
    this.cache = cache;
    this.metadata = metadata;
    this.flusher = flusher;
    this.queue = queue;
    this.health = health;
    this.pins = pins;
    this.favorites = favorites;
    this.visible = visible;
    this.footers = footers;
    this.filler = filler;
    this.clock = clock;
    Duration every = ConfigValues.duration("strata.sync.interval", interval);
    ConfigValues.require(!every.isNegative() && !every.isZero(), "strata.sync.interval", interval,
        "a positive duration such as 5m");
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "strata-sync");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> runQuietly("interval"), every.toMillis(), every.toMillis(),
        TimeUnit.MILLISECONDS);
    health.onOnline(() -> timer.execute(() -> runQuietly("upstream back")));
  }

  /** Runs one sync now, on the caller's thread (one run at a time), and returns what it did. */
  public synchronized Run runNow(String trigger) {
    Instant started = clock.instant();
    SyncLog log = cache.syncLog();
    long id = log.started(trigger, started);
    List<String> errors = new ArrayList<>();
    long checked = 0;
    long changed = 0;
    long bytes = 0;
    if (!health.isOnline()) {
      errors.add("the upstream is unreachable");
    } else {
      progress = new Progress(trigger, started, "delivering the upload queue", 0, 0);
      flushQueue(errors);
      List<ObjectVersion> objects = objectsToRevalidate();
      for (ObjectVersion held : objects) {
        progress = new Progress(trigger, started, "revalidating", checked, objects.size());
        checked++;
        try {
          long fetched = revalidate(held);
          if (fetched >= 0) {
            changed++;
            bytes += fetched;
          }
        } catch (RuntimeException | java.io.IOException e) {
          errors.add("s3://" + held.bucket() + "/" + held.key() + ": " + e.getMessage());
        }
      }
      progress = new Progress(trigger, started, "fetching pins and favorites", checked, objects.size());
      List<PrefetchJob> jobs = new ArrayList<>(pins.restore(errors));
      jobs.addAll(favorites.restore(errors));
      for (PrefetchJob job : jobs) {
        await(job);
        bytes += job.bytesFetched();
        errors.addAll(job.errors());
      }
    }
    progress = null;
    Instant finished = clock.instant();
    String errorText = errors.isEmpty() ? null : String.join("\n", errors);
    log.finished(id, finished, checked, changed, bytes, errorText);
    BackgroundSync.log.info("sync run {} ({}): {} object(s) checked, {} changed, {} bytes fetched, {} error(s)",
        id, trigger, checked, changed, bytes, errors.size());
    return new Run(id, trigger, started, finished, checked, changed, bytes, List.copyOf(errors));
  }

  /** The run in progress, or null. */
  public Progress progress() {
    return progress;
  }

  /** The latest runs, newest first. */
  public List<SyncLog.Run> latest(int limit) {
    return cache.syncLog().latest(limit);
  }

  /** Delivers queued writes before anything is revalidated: a local write is the newest version. */
  private void flushQueue(List<String> errors) {
    flusher.wake();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!queue.ready(clock.instant(), 1).isEmpty()) {
      if (System.nanoTime() > deadline || !health.isOnline()) {
        errors.add("the upload queue did not drain");
        return;
      }
      sleep(50);
    }
  }

  /** Pinned, favorite and visible objects, then the recently read ones. */
  private List<ObjectVersion> objectsToRevalidate() {
    Map<String, ObjectVersion> objects = new LinkedHashMap<>();
    List<ObjectVersion> wanted = new ArrayList<>(pins.versions());
    wanted.addAll(favorites.versions());
    visible.current().forEach(job -> job.selections().forEach(s -> wanted.add(s.version())));
    wanted.addAll(cache.objectsReadSince(clock.instant().minus(RECENT), MAX_OBJECTS));
    for (ObjectVersion v : wanted) {
      if (objects.size() < MAX_OBJECTS) {
        objects.putIfAbsent(v.bucket() + '\0' + v.key(), v);
      }
    }
    return List.copyOf(objects.values());
  }

  /**
   * Asks the upstream whether {@code held} is still current; if not, fetches the new version's
   * footer (for Parquet) and then the byte ranges that were cached of the old one.
   *
   * @return bytes fetched when the object changed, or -1 when it did not
   */
  private long revalidate(ObjectVersion held) throws java.io.IOException {
    List<long[]> cachedRanges = cachedRanges(held);
    boolean parquet = cache.parquet().footer(held.bucket(), held.key(), held.etag()).isPresent();
    ObjectVersion now = metadata.refresh(held.bucket(), held.key()).version();
    if (now.etag().equals(held.etag())) {
      return -1;
    }
    long fetched = 0;
    if (parquet) {
      footers.footer(now); // the footer first: every reader starts there
    }
    for (long[] r : cachedRanges) {
      if (r[0] < now.size()) {
        fetched += filler.ensure(now, r[0], Math.min(r[1], now.size() - 1));
      }
    }
    return fetched;
  }

  /** The byte ranges of {@code version} in cached blocks, adjacent ones joined. */
  private List<long[]> cachedRanges(ObjectVersion version) {
    List<long[]> ranges = new ArrayList<>();
    if (version.size() == 0) {
      return ranges;
    }
    BlockLayout layout = cache.layout(version.size());
    for (int i = 0; i < layout.blockCount(); i++) {
      if (!cache.contains(version.block(i))) {
        continue;
      }
      long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
      if (last != null && last[1] + 1 == layout.start(i)) {
        last[1] = layout.end(i) - 1;
      } else {
        ranges.add(new long[] {layout.start(i), layout.end(i) - 1});
      }
    }
    return ranges;
  }

  private void await(PrefetchJob job) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (job.state() == PrefetchJob.State.RUNNING && System.nanoTime() < deadline) {
      sleep(20);
    }
  }

  private void runQuietly(String trigger) {
    try {
      runNow(trigger);
    } catch (RuntimeException e) {
      log.warn("sync run ({}) failed: {}", trigger, e.toString());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @PreDestroy
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
