package io.strata.proxy.parquet;

import io.micronaut.context.annotation.Value;
import io.strata.cache.BlockCache;
import io.strata.cache.ListedObject;
import io.strata.cache.ObjectVersion;
import io.strata.cache.parquet.ByteSpan;
import io.strata.cache.parquet.NotParquetException;
import io.strata.cache.parquet.PageIndexes;
import io.strata.cache.parquet.ParquetFooter;
import io.strata.cache.parquet.ReadPlanner;
import io.strata.cache.parquet.UnknownColumnsException;
import io.strata.cache.parquet.ValueRange;
import io.strata.proxy.s3.CacheFiller;
import io.strata.proxy.s3.ObjectMetadata;
import io.strata.proxy.upstream.UpstreamListing;
import io.strata.proxy.upstream.UpstreamStore;
import io.strata.proxy.upstream.UpstreamUnavailableException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Semantic prefetch: turns "these curves over this depth window of these files" into the exact
 * byte ranges a reader needs (each Parquet file's footer, plus the chunks of the named columns
 * and of the range's column in the row groups whose statistics overlap the window; non-Parquet
 * objects whole) and fetches them into the cache in the background with bounded concurrency.
 *
 * <p>Planning happens in the request, so a bad request (an unknown column, an object that does
 * not exist) is refused at once with the reason; only fetching is in the background.
 */
@Singleton
public final class PrefetchJobs {

  private static final Logger log = LoggerFactory.getLogger(PrefetchJobs.class);
  /** Ranges are fetched in pieces of at most this, so progress moves and tasks interleave. */
  static final long TASK_BYTES = 8L << 20;
  /** Jobs kept for the admin API; older finished ones are dropped. */
  static final int KEPT_JOBS = 200;
  /** The most objects one request may select. */
  static final int MAX_OBJECTS = 10_000;

  private final ObjectMetadata metadata;
  private final UpstreamStore upstream;
  private final BlockCache cache;
  private final ParquetFooters footers;
  private final CacheFiller filler;
  private final Clock clock;
  private final PriorityBook priorities;
  private final ExecutorService fetchers;
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, PrefetchJob> jobs = new LinkedHashMap<>();

  PrefetchJobs(ObjectMetadata metadata, UpstreamStore upstream, BlockCache cache, ParquetFooters footers,
      CacheFiller filler, Clock clock, PriorityBook priorities,
      @Value("${strata.prefetch.concurrency:4}") int concurrency) {
    if (concurrency < 1) {
      throw new io.strata.proxy.config.ConfigurationError("strata.prefetch.concurrency",
          Integer.toString(concurrency), "an integer >= 1");
    }
    this.metadata = metadata;
    this.upstream = upstream;
    this.cache = cache;
    this.footers = footers;
    this.filler = filler;
    this.clock = clock;
    this.priorities = priorities;
    AtomicInteger n = new AtomicInteger();
    this.fetchers = Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, "strata-prefetch-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Plans the request and starts fetching.
   *
   * @throws IllegalArgumentException for a malformed request or unknown columns (the message says
   *     which columns the files have)
   * @throws UpstreamUnavailableException when planning needs the upstream and it is unreachable
   */
  public PrefetchJob submit(PrefetchRequest request) throws IOException {
    PrefetchJob job = plan(request);
    start(job);
    for (PrefetchJob.Selection s : job.selections()) {
      // Marked before the bytes arrive, so a block is never briefly the first to go.
      priorities.mark("prefetch", s.version(), s.spans(), job.priority().value(), null);
    }
    return job;
  }

  /** Plans a request without fetching anything: the job's selections, and its id. */
  PrefetchJob plan(PrefetchRequest request) throws IOException {
    if (request.bucket() == null || request.bucket().isBlank()) {
      throw new IllegalArgumentException("bucket is required");
    }
    boolean byKeys = request.keys() != null && !request.keys().isEmpty();
    if (byKeys == (request.prefix() != null)) {
      throw new IllegalArgumentException("give either keys or prefix");
    }
    PriorityClass priority = PriorityClass.parse(request.priority());
    ValueRange range = range(request.range());
    List<String> columns = request.columns() == null ? List.of() : request.columns();

    List<PrefetchJob.Selection> selections = new ArrayList<>();
    for (String key : byKeys ? request.keys() : keysUnder(request.bucket(), request.prefix())) {
      ObjectVersion version = metadata.current(request.bucket(), key).version();
      selections.add(select(version, columns, range));
    }
    return new PrefetchJob("p" + ids.incrementAndGet(), request, priority, selections,
        tasks(selections).size(), clock);
  }

  /** Fetches a planned job's ranges in the background. */
  void start(PrefetchJob job) {
    List<Task> tasks = tasks(job.selections());
    remember(job);
    for (Task task : tasks) {
      fetchers.execute(() -> run(job, task));
    }
    log.info("prefetch {}: {} object(s), {} bytes in {} range(s)", job.id(), job.selections().size(),
        job.bytesTotal(), tasks.size());
  }

  private static List<Task> tasks(List<PrefetchJob.Selection> selections) {
    List<Task> tasks = new ArrayList<>();
    for (PrefetchJob.Selection s : selections) {
      for (ByteSpan span : s.spans()) {
        for (long at = span.offset(); at < span.end(); at += TASK_BYTES) {
          tasks.add(new Task(s.version(), at, Math.min(span.end(), at + TASK_BYTES) - 1));
        }
      }
    }
    return tasks;
  }

  public Optional<PrefetchJob> job(String id) {
    synchronized (jobs) {
      return Optional.ofNullable(jobs.get(id));
    }
  }

  public List<PrefetchJob> jobs() {
    synchronized (jobs) {
      return List.copyOf(jobs.values());
    }
  }

  /** The spans of one object: a Parquet file's planned reads, anything else whole. */
  private PrefetchJob.Selection select(ObjectVersion version, List<String> columns, ValueRange range)
      throws IOException {
    if (version.size() == 0) {
      return new PrefetchJob.Selection(version, false, List.of());
    }
    ParquetFooter footer;
    PrefetchJob.Selection whole = new PrefetchJob.Selection(version, false, List.of(new ByteSpan(0, version.size())));
    try {
      footer = footers.footer(version);
    } catch (NotParquetException e) {
      return whole;
    } catch (UpstreamUnavailableException e) {
      if (!version.key().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet")) {
        return whole; // offline, the magic of an uncached tail cannot be read: take it as plain data
      }
      throw e;
    }
    try {
      // Page indexes, where the file has them, are read through the cache: a reader needs them too.
      PageIndexes pageIndexes = new PageIndexes(span -> filler.read(version, span.offset(),
          Math.toIntExact(span.length())));
      return new PrefetchJob.Selection(version, true, ReadPlanner.plan(footer, columns, range, pageIndexes));
    } catch (UnknownColumnsException e) {
      throw new IllegalArgumentException("s3://" + version.bucket() + "/" + version.key() + ": unknown column(s) "
          + e.unknown() + "; its columns are " + e.available());
    }
  }

  private static ValueRange range(PrefetchRequest.Range range) {
    if (range == null) {
      return null;
    }
    if (range.column() == null || range.column().isBlank()) {
      throw new IllegalArgumentException("range.column is required");
    }
    double min = range.min() == null ? Double.NEGATIVE_INFINITY : range.min();
    double max = range.max() == null ? Double.POSITIVE_INFINITY : range.max();
    if (min > max) {
      throw new IllegalArgumentException("range.min " + min + " is above range.max " + max);
    }
    return new ValueRange(range.column(), min, max);
  }

  /** Every key under {@code prefix}: from the upstream, or offline from what Strata has seen. */
  private List<String> keysUnder(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    try {
      String token = null;
      do {
        UpstreamListing page = upstream.list(new UpstreamStore.ListRequest(bucket, prefix, null, 1000, null, token));
        page.objects().forEach(o -> keys.add(o.key()));
        token = page.truncated() ? page.nextContinuationToken() : null;
      } while (token != null && keys.size() <= MAX_OBJECTS);
    } catch (UpstreamUnavailableException e) {
      keys.clear();
      cache.knownObjects(bucket, prefix, null, MAX_OBJECTS + 1).stream().map(ListedObject::key).forEach(keys::add);
    }
    // Zero-byte "directory" markers are not data.
    keys.removeIf(k -> k.endsWith("/"));
    if (keys.size() > MAX_OBJECTS) {
      throw new IllegalArgumentException("prefix " + prefix + " selects more than " + MAX_OBJECTS + " objects");
    }
    return keys;
  }

  private void run(PrefetchJob job, Task task) {
    try {
      long fetched = filler.ensure(task.version(), task.first(), task.last());
      job.taskDone(task.last() - task.first() + 1, fetched);
    } catch (IOException | RuntimeException e) {
      job.taskFailed("s3://" + task.version().bucket() + "/" + task.version().key() + " bytes " + task.first()
          + "-" + task.last() + ": " + e.getMessage());
    }
  }

  private void remember(PrefetchJob job) {
    synchronized (jobs) {
      jobs.put(job.id(), job);
      var it = jobs.values().iterator();
      while (jobs.size() > KEPT_JOBS && it.hasNext()) {
        if (it.next().state() != PrefetchJob.State.RUNNING) {
          it.remove();
        }
      }
    }
  }

  @PreDestroy
  void close() {
    fetchers.shutdownNow();
  }

  /** One piece of a range to bring into the cache. */
  private record Task(ObjectVersion version, long first, long last) {}
}
