package io.strata.cache.policy;

import static java.util.Objects.requireNonNull;

import io.strata.cache.BlockKey;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * What eviction knows about one committed block: its size, its project, when and how often it
 * was read, and whether a reader has it open. One instance per commit: a block committed again is
 * a new instance, so the evictor can tell that the block it chose is still the one held.
 *
 * <p>Concurrency: reads update it from any thread without a lock (volatile fields and field
 * updaters, no allocation). A lost race between two reads only blurs the order by a millisecond.
 * The {@code pass*} fields are a snapshot for one eviction pass, written and read only by the
 * thread running the pass (see {@link PriorityPolicy}).
 */
public final class BlockUsage {

  private static final AtomicLongFieldUpdater<BlockUsage> ACCESS_COUNT =
      AtomicLongFieldUpdater.newUpdater(BlockUsage.class, "accessCount");
  private static final AtomicIntegerFieldUpdater<BlockUsage> READERS =
      AtomicIntegerFieldUpdater.newUpdater(BlockUsage.class, "readers");

  private final BlockKey key;
  private final long length;
  private final Project project;

  /** Epoch millis of the latest read (or of the commit). */
  private volatile long lastAccessMillis;
  /** Reads, persisted with the access times, so the count survives a restart. */
  private volatile long accessCount;
  /** Position of the latest access in the cache's sequence of accesses: breaks ties within a millisecond. */
  private volatile long recency;
  /** Readers holding the block open. */
  private volatile int readers;

  int passClass;
  long passAccessMillis;
  long passAccessCount;
  long passRecency;

  public BlockUsage(
      BlockKey key, long length, Project project, long lastAccessMillis, long accessCount, long recency) {
    this.key = requireNonNull(key, "key");
    this.project = requireNonNull(project, "project");
    if (length <= 0) {
      throw new IllegalArgumentException("length: " + length + " (expected: > 0)");
    }
    this.length = length;
    this.lastAccessMillis = lastAccessMillis;
    this.accessCount = accessCount;
    this.recency = recency;
  }

  public BlockKey key() {
    return key;
  }

  public long length() {
    return length;
  }

  public Project project() {
    return project;
  }

  public long lastAccessMillis() {
    return lastAccessMillis;
  }

  public long accessCount() {
    return accessCount;
  }

  /** A read at {@code millis}, the {@code recency}-th access of the cache. */
  public void recordRead(long millis, long recency) {
    ACCESS_COUNT.incrementAndGet(this);
    if (millis > lastAccessMillis) {
      lastAccessMillis = millis;
    }
    if (recency > this.recency) {
      this.recency = recency;
    }
  }

  /** A reader opened the block; the evictor leaves it alone until {@link #endRead}. */
  public void beginRead() {
    READERS.incrementAndGet(this);
  }

  public void endRead() {
    READERS.decrementAndGet(this);
  }

  public boolean isBeingRead() {
    return readers > 0;
  }

  /** Freezes the order fields for a pass, so the sort sees values that do not change under it. */
  void snapshot(int priorityClass) {
    passClass = priorityClass;
    passAccessMillis = lastAccessMillis;
    passAccessCount = accessCount;
    passRecency = recency;
  }

  @Override
  public String toString() {
    return key + " (" + length + " bytes, last access " + lastAccessMillis + ", " + accessCount + " reads)";
  }
}
