package io.strata.cache.store;

import io.strata.cache.policy.BlockUsage;
import java.nio.file.attribute.FileTime;

/**
 * What the in-memory index holds for a committed block: enough to verify its file without asking
 * SQLite, and its eviction facts. Compared by identity in the cache (a re-committed block gets a
 * new instance), so a reader that found a bad file drops only the entry it checked.
 *
 * <p>Reading the whole block to check its CRC32C on every hit would cost more than serving it.
 * So the check runs once, and the file's modification time at that moment is kept: while the
 * file still has that time and its length, it is the file that was checked (as git trusts an
 * index entry whose stat data is unchanged). A file modified within {@link #RACY_MILLIS} of its
 * check is not trusted that way, since a later write in the same timestamp tick would not show.
 */
final class BlockEntry {

  /** How old a file's modification time must be before it can stand for a check of its bytes. */
  static final long RACY_MILLIS = 2_000;

  private final long crc32c;
  private final BlockUsage usage;
  /** The file's modification time when its bytes last matched, or null: check them on open. */
  private volatile FileTime checkedAt;

  BlockEntry(long crc32c, BlockUsage usage) {
    this.crc32c = crc32c;
    this.usage = usage;
  }

  long crc32c() {
    return crc32c;
  }

  BlockUsage usage() {
    return usage;
  }

  long length() {
    return usage.length();
  }

  /** Whether a file with this modification time and size is the one whose bytes were checked. */
  boolean checked(FileTime modified, long size) {
    return size == length() && modified.equals(checkedAt);
  }

  /** The file's bytes matched; trust its modification time from now on unless it is too recent. */
  void markChecked(FileTime modified, long nowMillis) {
    if (modified.toMillis() < nowMillis - RACY_MILLIS) {
      checkedAt = modified;
    }
  }
}
