package io.strata.cache.store;

import io.strata.cache.BlockKey;
import io.strata.cache.policy.BlockUsage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The committed blocks in memory, by key: two levels, object version → pages of {@link BlockEntry}
 * by block index.
 *
 * <p>Why not one {@code ConcurrentHashMap<BlockKey, BlockEntry>}: at a million blocks that map
 * held a node, a {@code BlockKey} and a table slot per block on top of the entry (about 75 bytes
 * of 194; docs/metadata-scale.md). Here the names live once per {@link Version}, and a block costs
 * its entry plus a slot in a page of {@link #PAGE_SIZE}. Pages are kept sparse per version (a
 * sorted array of page numbers), because Parquet-aware caching often holds a footer and a few
 * column chunks of a huge file: a dense array up to the tail block's index would cost more than
 * the blocks. A page that empties stays until its version's last block goes, which bounds the
 * waste by the blocks a version once held.
 *
 * <p>Concurrency: one writer at a time (every change runs under the cache's lock); readers take
 * no lock. A version's page set is an immutable {@link Pages} replaced through a volatile field;
 * slots are written with release and read with acquire semantics, so a reader that sees an entry
 * sees it whole. A reader racing a change may see the block just before or just after it, which
 * the cache tolerates (it re-checks under its claim or its lock).
 */
final class BlockIndex {

  private static final int PAGE_BITS = 6;
  /** Slots per page: 64, so a dense version pays about 4 bytes per block for its pages. */
  private static final int PAGE_SIZE = 1 << PAGE_BITS;

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(BlockEntry[].class);

  private final ConcurrentHashMap<VersionName, Version> versions;
  /** Blocks held. Written under the cache's lock. */
  private volatile int size;

  /** @param expectedVersions how many object versions to size the map for */
  BlockIndex(int expectedVersions) {
    versions = new ConcurrentHashMap<>(Math.max(16, expectedVersions * 4 / 3 + 1));
  }

  /** The lookup key of a version: what a request knows. */
  private record VersionName(String bucket, String key, String etag) {}

  /**
   * One object version's blocks. Its names are shared by every entry of the version, and by every
   * {@link BlockKey} the entries build.
   */
  static final class Version {
    private final String bucket;
    private final String key;
    private final String etag;
    private volatile Pages pages = Pages.EMPTY;
    /** Blocks held of this version. Written under the cache's lock. */
    private int count;

    private Version(String bucket, String key, String etag) {
      this.bucket = bucket;
      this.key = key;
      this.etag = etag;
    }

    BlockKey block(int index) {
      return new BlockKey(bucket, key, etag, index);
    }

    BlockEntry get(int index) {
      BlockEntry[] page = pages.page(index >>> PAGE_BITS);
      return page == null ? null : (BlockEntry) SLOT.getAcquire(page, index & (PAGE_SIZE - 1));
    }

    /** Sets a slot (null clears it); returns what it held. Under the cache's lock. */
    private BlockEntry set(int index, BlockEntry entry) {
      int number = index >>> PAGE_BITS;
      BlockEntry[] page = pages.page(number);
      if (page == null) {
        if (entry == null) {
          return null;
        }
        page = new BlockEntry[PAGE_SIZE];
        pages = pages.with(number, page);
      }
      int slot = index & (PAGE_SIZE - 1);
      BlockEntry previous = (BlockEntry) SLOT.getAcquire(page, slot);
      SLOT.setRelease(page, slot, entry);
      count += (entry != null ? 1 : 0) - (previous != null ? 1 : 0);
      return previous;
    }

    private void forEach(Consumer<BlockEntry> action) {
      for (BlockEntry[] page : pages.pages) {
        for (int slot = 0; slot < PAGE_SIZE; slot++) {
          BlockEntry entry = (BlockEntry) SLOT.getAcquire(page, slot);
          if (entry != null) {
            action.accept(entry);
          }
        }
      }
    }
  }

  /** A version's pages, sorted by page number; immutable (a new page makes a new instance). */
  private record Pages(int[] numbers, BlockEntry[][] pages) {
    static final Pages EMPTY = new Pages(new int[0], new BlockEntry[0][]);

    BlockEntry[] page(int number) {
      int i = Arrays.binarySearch(numbers, number);
      return i >= 0 ? pages[i] : null;
    }

    Pages with(int number, BlockEntry[] page) {
      int at = -Arrays.binarySearch(numbers, number) - 1;
      int[] n = new int[numbers.length + 1];
      BlockEntry[][] p = new BlockEntry[pages.length + 1][];
      System.arraycopy(numbers, 0, n, 0, at);
      System.arraycopy(pages, 0, p, 0, at);
      n[at] = number;
      p[at] = page;
      System.arraycopy(numbers, at, n, at + 1, numbers.length - at);
      System.arraycopy(pages, at, p, at + 1, pages.length - at);
      return new Pages(n, p);
    }
  }

  BlockEntry get(BlockKey key) {
    Version version = versions.get(new VersionName(key.bucket(), key.key(), key.etag()));
    return version == null ? null : version.get(key.index());
  }

  boolean contains(BlockKey key) {
    return get(key) != null;
  }

  /** Whether {@code entry} is still the one held for its block (not removed or re-committed). */
  boolean holds(BlockEntry entry) {
    return entry.version().get(entry.index()) == entry;
  }

  /**
   * The version {@code bucket/key@etag}, made if no block of it is held; its entries share these
   * strings. Under the cache's lock, and hold a block of it before the lock is released (an
   * empty version is dropped only by {@link #remove}).
   */
  Version version(String bucket, String key, String etag) {
    return versions.computeIfAbsent(
        new VersionName(bucket, key, etag), n -> new Version(n.bucket(), n.key(), n.etag()));
  }

  /** Holds {@code entry} for its block; returns the entry it replaced, if any. Under the cache's lock. */
  BlockEntry put(BlockEntry entry) {
    BlockEntry previous = entry.version().set(entry.index(), entry);
    if (previous == null) {
      size++;
    }
    return previous;
  }

  /** Drops the block; returns the entry held, if any. Under the cache's lock. */
  BlockEntry remove(BlockKey key) {
    VersionName name = new VersionName(key.bucket(), key.key(), key.etag());
    Version version = versions.get(name);
    if (version == null) {
      return null;
    }
    BlockEntry previous = version.set(key.index(), null);
    if (previous != null) {
      size--;
      if (version.count == 0) {
        versions.remove(name, version);
      }
    }
    return previous;
  }

  int size() {
    return size;
  }

  /** Every entry of {@code bucket/key}, of any version. */
  void forEachOf(String bucket, String key, Consumer<BlockEntry> action) {
    for (Version version : versions.values()) {
      if (version.bucket.equals(bucket) && version.key.equals(key)) {
        version.forEach(action);
      }
    }
  }

  /** The entries as eviction's {@link BlockUsage}s; weakly consistent. */
  Iterable<BlockUsage> usages() {
    return () -> new Iterator<>() {
      private final Iterator<Version> versionsLeft = versions.values().iterator();
      private BlockEntry[][] pages = new BlockEntry[0][];
      private int page;
      private int slot = PAGE_SIZE;
      private BlockEntry next = advance();

      private BlockEntry advance() {
        while (true) {
          while (slot < PAGE_SIZE) {
            BlockEntry entry = (BlockEntry) SLOT.getAcquire(pages[page], slot++);
            if (entry != null) {
              return entry;
            }
          }
          if (page + 1 < pages.length) {
            page++;
            slot = 0;
          } else if (versionsLeft.hasNext()) {
            pages = versionsLeft.next().pages.pages;
            page = -1;
          } else {
            return null;
          }
        }
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public BlockUsage next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        BlockEntry current = next;
        next = advance();
        return current;
      }
    };
  }
}
