package io.strata.proxy.parquet;

import io.strata.cache.BlockKey;
import io.strata.cache.BlockLayout;
import io.strata.cache.CacheConfig;
import io.strata.cache.ObjectVersion;
import io.strata.cache.Retention;
import io.strata.cache.parquet.ByteSpan;
import io.strata.proxy.config.CacheSettings;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The eviction classes of cached bytes, from what Strata knows of their use: Parquet footers at
 * the highest class, what a prefetch job asked for at its priority, the visible set (what the
 * user's charts show now) at visible — its footers never evicted — and what left the visible set
 * at recent for a day. Everything else is default.
 *
 * <p>Each source marks byte spans of object versions with a class; a block's class is the highest
 * of the marks it overlaps (expired ones ignored). Answers come from a per-version array computed
 * when the marks change, so the evictor's questions are two map lookups.
 */
@Singleton
public final class PriorityBook implements Retention {

  /** How long what left the visible set stays "recent" (the seed design's 24 h). */
  static final Duration RECENT_FOR = Duration.ofHours(24);
  /** Marks kept per version at most; older ones (by insertion) are dropped first. */
  static final int MAX_MARKS_PER_VERSION = 64;

  /** A class on some spans of a version, from one source, until a time (or for good: null). */
  record Mark(String source, List<ByteSpan> spans, int priority, Instant until) {}

  private final Clock clock;
  private final long blockSize;
  private final ConcurrentHashMap<String, Marked> versions = new ConcurrentHashMap<>();

  PriorityBook(Clock clock, CacheSettings settings) {
    this.clock = clock;
    this.blockSize = settings.blockBytes();
  }

  @Override
  public int priority(BlockKey block) {
    Marked marked = versions.get(id(block.bucket(), block.key(), block.etag()));
    return marked == null ? 0 : marked.priority(block.index(), clock.instant());
  }

  /** Marks {@code spans} of {@code version} with {@code priority} for source {@code source}. */
  public void mark(String source, ObjectVersion version, List<ByteSpan> spans, int priority, Instant until) {
    versions.compute(id(version.bucket(), version.key(), version.etag()), (id, old) -> {
      Marked m = old == null ? new Marked(layout(version.size())) : old.copy();
      m.marks.removeIf(x -> x.source().equals(source) && x.spans().equals(spans));
      m.marks.add(new Mark(source, List.copyOf(spans), priority, until));
      while (m.marks.size() > MAX_MARKS_PER_VERSION) {
        m.marks.remove(0);
      }
      m.recompute();
      return m;
    });
  }

  /**
   * Replaces every mark of {@code source} with {@code replacement}'s, and what had been marked
   * by it but is not any more keeps {@code leftover} until {@code leftoverUntil} (visible data
   * that scrolled away decays to recent).
   */
  public void replace(String source, Map<ObjectVersion, List<ByteSpan>> replacement, int priority,
      String leftoverSource, int leftover, Instant leftoverUntil) {
    for (Map.Entry<String, Marked> e : versions.entrySet()) {
      versions.computeIfPresent(e.getKey(), (id, old) -> {
        if (old.marks.stream().noneMatch(x -> x.source().equals(source))) {
          return old;
        }
        Marked m = old.copy();
        List<Mark> gone = m.marks.stream().filter(x -> x.source().equals(source)).toList();
        m.marks.removeAll(gone);
        gone.forEach(x -> m.marks.add(new Mark(leftoverSource, x.spans(), leftover, leftoverUntil)));
        m.recompute();
        return m;
      });
    }
    replacement.forEach((version, spans) -> mark(source, version, spans, priority, null));
  }

  /** Drops every mark of {@code source} (a removed pin, say). */
  public void forget(String source) {
    for (String id : versions.keySet()) {
      versions.computeIfPresent(id, (key, old) -> {
        if (old.marks.stream().noneMatch(x -> x.source().equals(source))) {
          return old;
        }
        Marked m = old.copy();
        m.marks.removeIf(x -> x.source().equals(source));
        if (m.marks.isEmpty()) {
          return null;
        }
        m.recompute();
        return m;
      });
    }
  }

  /** The class of each block of one version, from its marks. */
  private static final class Marked {
    final BlockLayout layout;
    final List<Mark> marks = new ArrayList<>();
    /** Per block: the highest class of a mark without expiry, and of marks that expire. */
    int[] permanent;
    int[] expiring;
    Instant firstExpiry;

    Marked(BlockLayout layout) {
      this.layout = layout;
    }

    Marked copy() {
      Marked m = new Marked(layout);
      m.marks.addAll(marks);
      return m;
    }

    void recompute() {
      int blocks = layout.blockCount();
      permanent = new int[blocks];
      expiring = new int[blocks];
      firstExpiry = null;
      for (Mark mark : marks) {
        int[] target = mark.until() == null ? permanent : expiring;
        if (mark.until() != null && (firstExpiry == null || mark.until().isBefore(firstExpiry))) {
          firstExpiry = mark.until();
        }
        for (ByteSpan span : mark.spans()) {
          if (span.offset() >= layout.objectSize()) {
            continue;
          }
          int first = layout.indexOf(span.offset());
          int last = layout.indexOf(Math.min(span.last(), layout.objectSize() - 1));
          for (int i = first; i <= last; i++) {
            target[i] = Math.max(target[i], mark.priority());
          }
        }
      }
    }

    int priority(int index, Instant now) {
      if (index >= permanent.length) {
        return 0;
      }
      int p = permanent[index];
      if (expiring[index] > p && (firstExpiry == null || now.isBefore(firstExpiry))) {
        return expiring[index];
      }
      if (expiring[index] > p) {
        // Some mark expired: answer from the marks themselves (rare, and only until re-marked).
        long start = layout.start(index);
        long end = layout.end(index);
        for (Mark mark : marks) {
          if (mark.until() != null && now.isBefore(mark.until()) && mark.priority() > p
              && mark.spans().stream().anyMatch(s -> s.offset() < end && s.end() > start)) {
            p = mark.priority();
          }
        }
      }
      return p;
    }
  }

  private BlockLayout layout(long size) {
    return BlockLayout.of(size, blockSize, CacheConfig.DEFAULT_MIN_TAIL_SIZE);
  }

  private static String id(String bucket, String key, String etag) {
    return bucket + '\0' + key + '\0' + etag;
  }
}
