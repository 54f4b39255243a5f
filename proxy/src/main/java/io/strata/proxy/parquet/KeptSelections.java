package io.strata.proxy.parquet;

import io.micronaut.json.JsonMapper;
import io.strata.cache.BlockCache;
import io.strata.cache.meta.SavedSelections;
import io.strata.cache.parquet.ByteSpan;
import io.strata.proxy.s3.CacheFiller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Selections users asked Strata to keep, saved in the cache's database: pins (never evicted) and
 * favorites (evicted late). Each is a prefetch request, re-planned whenever it is needed, so a
 * new version of a file is covered by the same pin. Adding one fetches what it selects.
 */
public abstract class KeptSelections {

  private static final Logger log = LoggerFactory.getLogger(KeptSelections.class);

  /**
   * One kept selection and how much of it a reader would find on disk.
   *
   * @param bytes what a reader of the selection needs (planned now)
   * @param cachedBytes how many of those bytes are in valid cached blocks
   * @param readiness {@code cachedBytes / bytes} in percent (100 for an empty selection)
   * @param problem why it could not be planned now (offline without a footer, say), or null
   */
  public record Kept(long id, PrefetchRequest spec, Instant createdAt, long bytes, long cachedBytes,
      double readiness, String problem) {}

  private final String kind;
  private final int priority;
  private final BlockCache cache;
  private final PrefetchJobs prefetch;
  private final PriorityBook priorities;
  private final CacheFiller filler;
  private final JsonMapper json;
  private final Clock clock;

  KeptSelections(String kind, int priority, BlockCache cache, PrefetchJobs prefetch, PriorityBook priorities,
      CacheFiller filler, JsonMapper json, Clock clock) {
    this.kind = kind;
    this.priority = priority;
    this.cache = cache;
    this.prefetch = prefetch;
    this.priorities = priorities;
    this.filler = filler;
    this.json = json;
    this.clock = clock;
  }

  /**
   * Plans, saves and starts fetching a new selection.
   *
   * @throws IllegalArgumentException for a bad request (as for a prefetch)
   * @throws IllegalStateException when it cannot be kept (for pins: it would not fit the cap)
   */
  public Kept add(PrefetchRequest spec) throws IOException {
    PrefetchRequest saved = new PrefetchRequest(spec.bucket(), spec.keys(), spec.prefix(), spec.columns(),
        spec.range(), null);
    PrefetchJob job = prefetch.plan(saved);
    admit(job.bytesTotal());
    long id = cache.savedSelections().add(kind, write(saved), clock.instant());
    mark(id, job);
    prefetch.start(job);
    log.info("{} {} added: {} bytes in {} object(s)", kind, id, job.bytesTotal(), job.selections().size());
    return status(id, saved, clock.instant(), job);
  }

  /** Every kept selection with its readiness, re-planned now. */
  public List<Kept> list() {
    List<Kept> out = new ArrayList<>();
    for (SavedSelections.Saved s : cache.savedSelections().list(kind)) {
      PrefetchRequest spec = read(s.spec());
      try {
        PrefetchJob job = prefetch.plan(spec);
        mark(s.id(), job);
        out.add(status(s.id(), spec, s.createdAt(), job));
      } catch (IOException | RuntimeException e) {
        out.add(new Kept(s.id(), spec, s.createdAt(), 0, 0, 0, e.getMessage()));
      }
    }
    return out;
  }

  public Optional<Kept> get(long id) {
    return list().stream().filter(k -> k.id() == id).findFirst();
  }

  /** @return whether it existed; its bytes fall back to their other classes */
  public boolean remove(long id) {
    boolean removed = cache.savedSelections().remove(kind, id);
    if (removed) {
      priorities.forget(source(id));
    }
    return removed;
  }

  /**
   * Re-plans every saved selection (new objects under a prefix, new versions of files), marks it
   * again and fetches what is missing: after a start, and in every sync run.
   *
   * @return the fetch jobs started; problems planning a selection are logged and in {@code problems}
   */
  public List<PrefetchJob> restore(List<String> problems) {
    List<PrefetchJob> jobs = new ArrayList<>();
    for (SavedSelections.Saved s : cache.savedSelections().list(kind)) {
      try {
        PrefetchJob job = prefetch.plan(read(s.spec()));
        priorities.forget(source(s.id())); // versions that went away lose the mark
        mark(s.id(), job);
        prefetch.start(job);
        jobs.add(job);
      } catch (IOException | RuntimeException e) {
        log.warn("{} {} cannot be planned now: {}", kind, s.id(), e.getMessage());
        problems.add(kind + " " + s.id() + ": " + e.getMessage());
      }
    }
    return jobs;
  }

  /** The object versions the saved selections select now (as Strata holds them). */
  public List<io.strata.cache.ObjectVersion> versions() {
    List<io.strata.cache.ObjectVersion> out = new ArrayList<>();
    for (SavedSelections.Saved s : cache.savedSelections().list(kind)) {
      try {
        prefetch.plan(read(s.spec())).selections().forEach(sel -> out.add(sel.version()));
      } catch (IOException | RuntimeException e) {
        // not plannable now: restore() reports it
      }
    }
    return out;
  }

  /** Refuses a selection that cannot be kept; pins check the cap. */
  void admit(long bytes) {}

  /** Planned bytes of every saved selection of this kind that can be planned now. */
  long plannedBytes() {
    return list().stream().mapToLong(Kept::bytes).sum();
  }

  private void mark(long id, PrefetchJob job) {
    for (PrefetchJob.Selection s : job.selections()) {
      priorities.mark(source(id), s.version(), s.spans(), priority, null);
    }
  }

  private Kept status(long id, PrefetchRequest spec, Instant createdAt, PrefetchJob job) {
    long cached = 0;
    for (PrefetchJob.Selection s : job.selections()) {
      for (ByteSpan span : s.spans()) {
        cached += filler.cachedBytes(s.version(), span.offset(), span.last());
      }
    }
    double readiness = job.bytesTotal() == 0 ? 100 : Math.round(1000.0 * cached / job.bytesTotal()) / 10.0;
    return new Kept(id, spec, createdAt, job.bytesTotal(), cached, readiness, null);
  }

  private String source(long id) {
    return kind + ":" + id;
  }

  private String write(PrefetchRequest spec) {
    try {
      return json.writeValueAsString(spec);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private PrefetchRequest read(String spec) {
    try {
      return json.readValue(spec, PrefetchRequest.class);
    } catch (IOException e) {
      throw new UncheckedIOException("a saved " + kind + " cannot be read: " + spec, e);
    }
  }
}
