package io.strata.proxy.parquet;

import io.strata.cache.ObjectVersion;
import io.strata.cache.Retention;
import io.strata.cache.parquet.ByteSpan;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the user's charts show now ({@code PUT /api/visible}): those bytes are fetched and kept
 * at the visible class, the footers of visible files are never evicted, and whatever leaves the set
 * stays "recent" for a day. A new set replaces the old one whole.
 */
@Singleton
public final class VisibleSet {

  private final PrefetchJobs prefetch;
  private final ParquetFooters footers;
  private final PriorityBook priorities;
  private final Clock clock;
  private volatile List<PrefetchJob> current = List.of();

  VisibleSet(PrefetchJobs prefetch, ParquetFooters footers, PriorityBook priorities, Clock clock) {
    this.prefetch = prefetch;
    this.footers = footers;
    this.priorities = priorities;
    this.clock = clock;
  }

  /**
   * Plans every selection first (so a bad one changes nothing), then replaces the set and fetches
   * what is missing.
   *
   * @return one prefetch job per selection
   * @throws IllegalArgumentException for a malformed selection or unknown columns
   */
  public synchronized List<PrefetchJob> replace(List<PrefetchRequest> selections) throws IOException {
    List<PrefetchJob> jobs = new ArrayList<>();
    for (PrefetchRequest s : selections) {
      jobs.add(prefetch.plan(new PrefetchRequest(s.bucket(), s.keys(), s.prefix(), s.columns(), s.range(),
          PriorityClass.VISIBLE.name())));
    }
    Map<ObjectVersion, List<ByteSpan>> data = new LinkedHashMap<>();
    Map<ObjectVersion, List<ByteSpan>> footerSpans = new LinkedHashMap<>();
    for (PrefetchJob job : jobs) {
      for (PrefetchJob.Selection s : job.selections()) {
        data.computeIfAbsent(s.version(), v -> new ArrayList<>()).addAll(s.spans());
        if (s.parquet()) {
          footerSpans.put(s.version(), List.of(footers.footer(s.version()).span()));
        }
      }
    }
    var recentUntil = clock.instant().plus(PriorityBook.RECENT_FOR);
    priorities.replace("visible", data, PriorityClass.VISIBLE.value(), "recent", PriorityClass.RECENT.value(),
        recentUntil);
    priorities.replace("visible-footer", footerSpans, Retention.PROTECTED, "recent", PriorityClass.RECENT.value(),
        recentUntil);
    jobs.forEach(prefetch::start);
    current = List.copyOf(jobs);
    return current;
  }

  /** The jobs of the current set. */
  public List<PrefetchJob> current() {
    return current;
  }
}
