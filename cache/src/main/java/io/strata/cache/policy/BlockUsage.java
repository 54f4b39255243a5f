package io.strata.cache.policy;

import static java.util.Objects.requireNonNull;

import io.strata.cache.BlockKey;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * What eviction knows about one committed block: its size, its project, when and how often it
 * was read, and whether a reader has it open. One instance per commit: a block committed again is
 * a new instance, so the evictor can tell that the block it chose is still the one held.
 *
 * <p>Abstract over how the block names itself: the cache's index keeps a million of these, so its
 * subclass holds the object version's names once per version and builds the {@link BlockKey}
 * only when asked (eviction, once per pass), instead of holding one per block. {@link #of} is the
 * plain form, for anyone else.
 *
 * <p>Concurrency: reads update it from any thread without a lock (volatile fields and field
 * updaters, no allocation). A lost race between two reads only blurs the order by a millisecond.
 * The {@code pass*} fields are a snapshot for one eviction pass, written and read only by the
 * thread running the pass (see {@link PriorityPolicy}).
 */
public abstract class BlockUsage {

  private static final AtomicIntegerFieldUpdater<BlockUsage> ACCESS_COUNT =
      AtomicIntegerFieldUpdater.newUpdater(BlockUsage.class, "accessCount");
  private static final AtomicIntegerFieldUpdater<BlockUsage> READERS =
      AtomicIntegerFieldUpdater.newUpdater(BlockUsage.class, "readers");

  // Narrow fields on purpose: a million instances at a terabyte of 1 MiB blocks. A block is at
  // most a block plus a tail (far below 2 GiB), and a count saturates at Integer.MAX_VALUE.
  private final int length;
  private final Project project;

  /** Epoch millis of the latest read (or of the commit). */
  private volatile long lastAccessMillis;
  /** Reads, persisted with the access times, so the count survives a restart; saturates. */
  private volatile int accessCount;
  /** Position of the latest access in the cache's sequence of accesses: breaks ties within a millisecond. */
  private volatile long recency;
  /** Readers holding the block open. */
  private volatile int readers;

  int passClass;
  int passAccessCount;
  long passAccessMillis;
  long passRecency;

  protected BlockUsage(
      long length, Project project, long lastAccessMillis, long accessCount, long recency) {
    this.project = requireNonNull(project, "project");
    if (length <= 0 || length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "length: " + length + " (expected: > 0 and <= " + Integer.MAX_VALUE + ")");
    }
    if (accessCount < 0) {
      throw new IllegalArgumentException("accessCount: " + accessCount + " (expected: >= 0)");
    }
    this.length = (int) length;
    this.lastAccessMillis = lastAccessMillis;
    this.accessCount = (int) Math.min(accessCount, Integer.MAX_VALUE);
    this.recency = recency;
  }

  /** A usage that holds its own key. */
  public static BlockUsage of(
      BlockKey key, long length, Project project, long lastAccessMillis, long accessCount, long recency) {
    return new Keyed(key, length, project, lastAccessMillis, accessCount, recency);
  }

  /** The block this usage is of; may be built on each call. */
  public abstract BlockKey key();

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
    ACCESS_COUNT.getAndUpdate(this, c -> c == Integer.MAX_VALUE ? c : c + 1);
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
    return key() + " (" + length + " bytes, last access " + lastAccessMillis + ", " + accessCount + " reads)";
  }

  private static final class Keyed extends BlockUsage {
    private final BlockKey key;

    Keyed(BlockKey key, long length, Project project, long lastAccessMillis, long accessCount,
        long recency) {
      super(length, project, lastAccessMillis, accessCount, recency);
      this.key = requireNonNull(key, "key");
    }

    @Override
    public BlockKey key() {
      return key;
    }
  }
}
