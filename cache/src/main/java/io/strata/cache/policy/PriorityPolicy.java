package io.strata.cache.policy;

import static java.util.Objects.requireNonNull;

import io.strata.cache.Retention;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Eviction by priority class, then least recently used, then least often used (the seed design's
 * order), with the global and per-project targets met in one walk.
 *
 * <p>A pass: classify every block (the retention's answer now), skip the protected ones and those
 * being read, snapshot the order fields of the rest into the blocks themselves, sort them, and
 * take victims in order while the cache or the victim's project still has bytes to free. When only
 * projects are over their caps, only their blocks are sorted. O(n log n) in the blocks held, and
 * the only per-pass allocations are the reused candidate array and the sort's merge buffer.
 *
 * <p>Last access is compared in milliseconds, so reads in the same millisecond fall to the access
 * count; the cache-wide access sequence ({@code recency}) breaks what ties remain, newest last.
 *
 * <p>Concurrency: {@link #plan} is called by one thread at a time (the cache's evictor);
 * {@link #protectedBytes} by any thread.
 */
final class PriorityPolicy implements EvictionPolicy {

  private static final Logger log = LoggerFactory.getLogger(PriorityPolicy.class);

  /** The order of eviction: first in this order goes first. */
  private static final Comparator<BlockUsage> EVICTION_ORDER = (a, b) -> {
    int c = Integer.compare(a.passClass, b.passClass);
    if (c != 0) {
      return c;
    }
    c = Long.compare(a.passAccessMillis, b.passAccessMillis);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(a.passAccessCount, b.passAccessCount);
    return c != 0 ? c : Long.compare(a.passRecency, b.passRecency);
  };

  private final Retention retention;

  /** Reused between passes; cleared after each so it holds no evicted block. Evictor thread only. */
  private BlockUsage[] candidates = new BlockUsage[1024];

  PriorityPolicy(Retention retention) {
    this.retention = requireNonNull(retention, "retention");
  }

  @Override
  public EvictionPlan plan(Iterable<BlockUsage> blocks, EvictionTargets targets) {
    long cacheExcess = targets.bytes();
    Map<Project, long[]> projectExcess = new IdentityHashMap<>();
    targets.projects().forEach((p, bytes) -> {
      if (bytes > 0) {
        projectExcess.put(p, new long[] {bytes});
      }
    });
    Classifier classifier = new Classifier();
    int n = 0;
    long protectedBytes = 0;
    // A block being read cannot go now, but soon can: rather than evict a higher class in its
    // place, the pass stops below it and the evictor tries again (a freshly read default block
    // must not cost a favorite its place).
    int lowestBusyClass = Integer.MAX_VALUE;
    for (BlockUsage block : blocks) {
      int priorityClass = classifier.classify(block);
      if (priorityClass == Retention.PROTECTED) {
        protectedBytes += block.length();
        continue;
      }
      if (cacheExcess <= 0 && !projectExcess.containsKey(block.project())) {
        continue;
      }
      if (block.isBeingRead()) {
        lowestBusyClass = Math.min(lowestBusyClass, priorityClass);
        continue;
      }
      block.snapshot(priorityClass);
      if (n == candidates.length) {
        candidates = Arrays.copyOf(candidates, n * 2);
      }
      candidates[n++] = block;
    }
    classifier.report();

    List<BlockUsage> victims = new ArrayList<>();
    int projectsOver = projectExcess.size();
    try {
      Arrays.sort(candidates, 0, n, EVICTION_ORDER);
      for (int i = 0; i < n && (cacheExcess > 0 || projectsOver > 0); i++) {
        BlockUsage block = candidates[i];
        if (block.passClass > lowestBusyClass) {
          break;
        }
        long[] left = projectExcess.get(block.project());
        boolean projectOver = left != null && left[0] > 0;
        if (cacheExcess <= 0 && !projectOver) {
          continue;
        }
        victims.add(block);
        cacheExcess -= block.length();
        if (projectOver) {
          left[0] -= block.length();
          if (left[0] <= 0) {
            projectsOver--;
          }
        }
      }
    } finally {
      Arrays.fill(candidates, 0, n, null);
      if (candidates.length > 4096 && candidates.length > 4L * n) {
        candidates = new BlockUsage[Math.max(1024, n)]; // the cache shrank: give the memory back
      }
    }
    return new EvictionPlan(victims, protectedBytes, cacheExcess <= 0 && projectsOver == 0);
  }

  @Override
  public long protectedBytes(Iterable<BlockUsage> blocks) {
    Classifier classifier = new Classifier();
    long bytes = 0;
    for (BlockUsage block : blocks) {
      if (classifier.classify(block) == Retention.PROTECTED) {
        bytes += block.length();
      }
    }
    classifier.report();
    return bytes;
  }

  /**
   * Asks the retention, counting its failures: a retention that throws must not stop eviction, so
   * such a block counts as the default class (a full disk is worse than a refetched block).
   */
  private final class Classifier {
    private int failures;
    private RuntimeException first;

    int classify(BlockUsage block) {
      try {
        return retention.priority(block.key());
      } catch (RuntimeException e) {
        if (failures++ == 0) {
          first = e;
        }
        return 0;
      }
    }

    void report() {
      if (failures > 0) {
        log.warn("Retention failed for {} blocks (counted as class 0), first: {}", failures, first.toString());
      }
    }
  }
}
