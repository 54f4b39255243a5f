package io.strata.cache.store;

import io.strata.cache.BlockKey;
import io.strata.cache.policy.BlockUsage;
import io.strata.cache.policy.Project;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * What the in-memory index holds for a committed block: enough to verify its file without asking
 * SQLite, and its eviction facts ({@link BlockUsage}). One object per block, naming its block by
 * its object version's shared {@link BlockIndex.Version} and an index, so a million blocks cost
 * about 90 bytes each (see docs/metadata-scale.md). Compared by identity in the cache (a
 * re-committed block gets a new instance), so a reader that found a bad file drops only the entry
 * it checked.
 *
 * <p>Reading the whole block to check its CRC32C on every hit would cost more than serving it.
 * So the check runs once, and the file's modification time at that moment is kept: while the
 * file still has that time and its length, it is the file that was checked (as git trusts an
 * index entry whose stat data is unchanged). A file modified within {@link #RACY_MILLIS} of its
 * check is not trusted that way, since a later write in the same timestamp tick would not show.
 */
final class BlockEntry extends BlockUsage {

  /** How old a file's modification time must be before it can stand for a check of its bytes. */
  static final long RACY_MILLIS = 2_000;

  /** {@link #checkedAtNanos} of a file whose bytes have not been checked since the start. */
  private static final long UNCHECKED = Long.MIN_VALUE;

  private final BlockIndex.Version version;
  private final int index;
  /** The CRC32C's 32 bits ({@link java.util.zip.CRC32C#getValue()} is an unsigned int in a long). */
  private final int crc32c;
  /** The file's modification time (ns) when its bytes last matched, or {@link #UNCHECKED}. */
  private volatile long checkedAtNanos = UNCHECKED;

  BlockEntry(BlockIndex.Version version, int index, long length, long crc32c, Project project,
      long lastAccessMillis, long accessCount, long recency) {
    super(length, project, lastAccessMillis, accessCount, recency);
    this.version = version;
    this.index = index;
    this.crc32c = (int) crc32c;
  }

  BlockIndex.Version version() {
    return version;
  }

  int index() {
    return index;
  }

  @Override
  public BlockKey key() {
    return version.block(index);
  }

  long crc32c() {
    return Integer.toUnsignedLong(crc32c);
  }

  /** Whether a file with this modification time and size is the one whose bytes were checked. */
  boolean checked(FileTime modified, long size) {
    long at = checkedAtNanos;
    return size == length() && at != UNCHECKED && modified.to(TimeUnit.NANOSECONDS) == at;
  }

  /** The file's bytes matched; trust its modification time from now on unless it is too recent. */
  void markChecked(FileTime modified, long nowMillis) {
    if (modified.toMillis() < nowMillis - RACY_MILLIS) {
      checkedAtNanos = modified.to(TimeUnit.NANOSECONDS);
    }
  }
}
