package io.strata.cache.store;

import io.strata.cache.common.DirectoryLock;
import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.strata.cache.BlockCache;
import io.strata.cache.BlockKey;
import io.strata.cache.BlockLayout;
import io.strata.cache.BlockWriter;
import io.strata.cache.CacheConfig;
import io.strata.cache.CacheStats;
import io.strata.cache.CachedBlock;
import io.strata.cache.ListedObject;
import io.strata.cache.ObjectVersion;
import io.strata.cache.meta.BlockRow;
import io.strata.cache.meta.MetadataStore;
import io.strata.cache.meta.ParquetCatalog;
import io.strata.cache.policy.EvictionPolicy;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BlockCache} on a local directory: block files (layout in {@link BlockPaths}),
 * metadata in SQLite ({@link MetadataStore}), eviction by an {@link EvictionPolicy}.
 *
 * <p>In memory: an index of committed blocks (key to length and CRC32C) that answers
 * {@link #contains} and {@link #openBlock} without SQLite; the byte total; the policy's order;
 * reads not yet persisted ({@link AccessRecorder}, flushed every second and on close); running
 * fills ({@link FillClaims}); and a bounded cache of object rows. Listings are read from SQLite.
 *
 * <p>Concurrency: every change to a committed block moves its file, its SQLite row, its index
 * entry, its policy entry and the byte total together under {@link #lock}, in the order rename →
 * row → memory when adding and row → memory → unlink when removing. So a block is in the index
 * exactly when its row exists, and no unlink can hit a file a later fill renamed into place.
 * Readers take no lock: they verify the file they open against the entry they looked up, and a
 * file unlinked while open stays readable. Slow work (writing and verifying block bytes) never
 * holds the lock. Lock order: {@link #lock} → object cache entry → {@link MetadataStore}'s lock →
 * the policy's monitor. The claim check in {@link #tryStartFill} guarantees that a block being
 * filled is not in the index, so its fill cannot clash with a removal.
 */
public final class DiskBlockCache implements BlockCache {

  private static final Logger log = LoggerFactory.getLogger(DiskBlockCache.class);

  /** How often reads are persisted; a crash loses at most this much eviction order. */
  private static final long FLUSH_INTERVAL_MILLIS = 1000;

  /** Object rows kept in memory: each request looks its object up at least once. */
  private static final long OBJECT_CACHE_SIZE = 65_536;

  private final CacheConfig config;
  private final BlockPaths paths;
  private final DirectoryLock directoryLock;
  private final MetadataStore meta;
  private final ParquetCatalog parquet;
  private final EvictionPolicy policy = EvictionPolicy.lru();
  private final FillClaims fills = new FillClaims();
  private final AccessRecorder accesses = new AccessRecorder();
  private final Cache<ObjectId, Optional<ObjectVersion>> objects =
      Caffeine.newBuilder().maximumSize(OBJECT_CACHE_SIZE).build();
  private final ScheduledExecutorService flusher;

  private final ReentrantLock lock = new ReentrantLock();
  /** Committed blocks. Changed under {@link #lock}, read without it. */
  private final ConcurrentHashMap<BlockKey, BlockEntry> index = new ConcurrentHashMap<>();
  /** Sum of the lengths in {@link #index}. Changed under {@link #lock}. */
  private final AtomicLong bytes = new AtomicLong();
  /** Guarded by {@link #lock} for writes. */
  private volatile boolean closed;

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder corruptBlocks = new LongAdder();

  private record ObjectId(String bucket, String key) {}

  private DiskBlockCache(
      CacheConfig config, BlockPaths paths, DirectoryLock directoryLock, CacheLoader.Loaded loaded) {
    this.config = config;
    this.paths = paths;
    this.directoryLock = directoryLock;
    this.meta = loaded.meta();
    this.parquet = new ParquetCatalog(meta);
    for (BlockRow row : loaded.blocks()) { // least recently used first
      index.put(row.key(), new BlockEntry(row.length(), row.crc32c()));
      policy.add(row.key(), row.length());
    }
    bytes.set(loaded.bytes());
    flusher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "strata-cache-flush");
      t.setDaemon(true);
      return t;
    });
    flusher.scheduleWithFixedDelay(
        this::flushAccessesQuietly,
        FLUSH_INTERVAL_MILLIS, FLUSH_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * The block layout the files on disk were cut with. Blocks are keyed by index, so a block cut
   * with another block size would be served as the wrong bytes (with a valid CRC).
   */
  static String layoutSetting(CacheConfig config) {
    return "blockSize=" + config.blockSize() + ";minTailSize=" + config.minTailSize();
  }

  /** Opens the cache at {@code config.dir()}, recovering after an unclean stop. */
  public static BlockCache open(CacheConfig config) throws IOException {
    requireNonNull(config, "config");
    BlockPaths paths = new BlockPaths(config.dir());
    Files.createDirectories(paths.root());
    DirectoryLock directoryLock = DirectoryLock.acquire(paths.lockFile());
    try {
      CacheLoader.Loaded loaded =
          new CacheLoader(paths, config.clock(), layoutSetting(config)).load();
      DiskBlockCache cache = new DiskBlockCache(config, paths, directoryLock, loaded);
      // The cap may have shrunk since the last run.
      cache.evictToCap(null);
      return cache;
    } catch (IOException | RuntimeException e) {
      directoryLock.close();
      throw e;
    }
  }

  @Override
  public CacheConfig config() {
    return config;
  }

  @Override
  public BlockLayout layout(long objectSize) {
    return BlockLayout.of(objectSize, config.blockSize(), config.minTailSize());
  }

  // ---- objects ----

  @Override
  public Optional<ObjectVersion> object(String bucket, String key) {
    requireNonNull(bucket, "bucket");
    requireNonNull(key, "key");
    checkOpen();
    return objects.get(new ObjectId(bucket, key), id -> meta.object(id.bucket(), id.key()));
  }

  @Override
  public void recordObject(ObjectVersion version) {
    requireNonNull(version, "version");
    checkOpen();
    lock.lock();
    try {
      List<BlockKey> stale = meta.recordObject(version, config.clock().millis());
      forgetBlocksLocked(stale);
      // Invalidate rather than put: the next read sees exactly what SQLite stored (millis).
      objects.invalidate(new ObjectId(version.bucket(), version.key()));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void markValidated(String bucket, String key, Instant when) {
    requireNonNull(bucket, "bucket");
    requireNonNull(key, "key");
    requireNonNull(when, "when");
    checkOpen();
    lock.lock();
    try {
      meta.markValidated(bucket, key, when);
      objects.invalidate(new ObjectId(bucket, key));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void forgetObject(String bucket, String key) {
    requireNonNull(bucket, "bucket");
    requireNonNull(key, "key");
    checkOpen();
    lock.lock();
    try {
      forgetBlocksLocked(meta.forgetObject(bucket, key));
      objects.invalidate(new ObjectId(bucket, key));
    } finally {
      lock.unlock();
    }
  }

  // ---- blocks ----

  @Override
  public boolean contains(BlockKey key) {
    requireNonNull(key, "key");
    checkOpen();
    return index.containsKey(key);
  }

  @Override
  public Optional<CachedBlock> openBlock(BlockKey key) {
    requireNonNull(key, "key");
    checkOpen();
    BlockEntry entry = index.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(paths.block(key), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      dropCorrupt(key, entry, "file is missing");
      return Optional.empty();
    } catch (IOException e) {
      // Not proof of corruption (descriptors may have run out): keep the block, serve a miss.
      log.warn("Cannot open block {} of {}: {}", key.index(), paths.block(key), e.toString());
      return Optional.empty();
    }
    Optional<String> problem;
    try {
      problem = BlockVerifier.check(channel, entry.length(), entry.crc32c());
    } catch (IOException e) {
      problem = Optional.of("read failed: " + e);
    }
    if (problem.isPresent()) {
      closeQuietly(channel);
      dropCorrupt(key, entry, problem.get());
      return Optional.empty();
    }
    hits.increment();
    policy.touch(key);
    accesses.record(key, config.clock().millis());
    return Optional.of(new DiskCachedBlock(key, channel, entry.length()));
  }

  /**
   * Also empty when the block is already committed: {@link #fillDone} then completes at once and
   * the caller's next {@link #openBlock} hits, instead of fetching the block again.
   */
  @Override
  public Optional<BlockWriter> tryStartFill(BlockKey key, long length) throws IOException {
    requireNonNull(key, "key");
    long maxLength = config.blockSize() + config.minTailSize();
    if (length <= 0 || length > maxLength) {
      throw new IllegalArgumentException(
          "length: " + length + " (expected: 0 < length <= " + maxLength + ")");
    }
    checkOpen();
    CompletableFuture<Void> claim = fills.tryClaim(key);
    if (claim == null) {
      return Optional.empty();
    }
    // Checked after claiming: from here until the claim ends nobody else can add this block.
    if (index.containsKey(key)) {
      fills.release(key, claim);
      return Optional.empty();
    }
    BlockWriter writer;
    try {
      writer = DiskBlockWriter.create(this, key, length, paths.temp(key), claim);
    } catch (IOException | RuntimeException e) {
      fills.release(key, claim);
      throw e;
    }
    misses.increment();
    return Optional.of(writer);
  }

  @Override
  public CompletableFuture<Void> fillDone(BlockKey key) {
    requireNonNull(key, "key");
    return fills.done(key);
  }

  /**
   * Makes a fully written temp file the committed block {@code key}, then evicts down to the cap.
   * On failure the committed file is gone again and the caller deletes the temp file.
   */
  void publish(BlockKey key, Path temp, long length, long crc32c) throws IOException {
    Path file = paths.block(key);
    lock.lock();
    try {
      if (closed) {
        throw new IOException("cache is closed; not committing " + key);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      boolean recorded;
      try {
        recorded = meta.insertBlock(new BlockRow(key, length, crc32c, config.clock().millis()));
      } catch (RuntimeException e) {
        deleteQuietly(file);
        throw e;
      }
      if (!recorded) {
        // The object moved on to another ETag while this block was being fetched.
        deleteQuietly(file);
        log.debug("Not caching block {}: its object version is no longer current", key);
        return;
      }
      BlockEntry previous = index.put(key, new BlockEntry(length, crc32c));
      if (previous != null) { // unreachable while the claim check holds; keep totals right anyway
        bytes.addAndGet(-previous.length());
      }
      bytes.addAndGet(length);
      policy.add(key, length);
      evictToCapLocked(key);
    } finally {
      lock.unlock();
    }
  }

  void releaseFill(BlockKey key, CompletableFuture<Void> claim) {
    fills.release(key, claim);
  }

  private void evictToCap(BlockKey keep) {
    lock.lock();
    try {
      evictToCapLocked(keep);
    } finally {
      lock.unlock();
    }
  }

  /** Evicts by policy until the total is within the cap, never {@code keep}. */
  private void evictToCapLocked(BlockKey keep) {
    long excess = bytes.get() - config.maxBytes();
    if (excess <= 0) {
      return;
    }
    List<BlockKey> victims = policy.victims(excess, keep);
    meta.deleteBlocks(victims);
    evictions.add(forgetBlocksLocked(victims));
  }

  /** A reader found {@code entry}'s file bad: drop the block, unless it changed meanwhile. */
  private void dropCorrupt(BlockKey key, BlockEntry entry, String problem) {
    lock.lock();
    try {
      // Identity: a block re-committed since the reader looked is a new entry and stays.
      if (closed || index.get(key) != entry) {
        return;
      }
      meta.deleteBlocks(List.of(key));
      forgetBlocksLocked(List.of(key));
    } catch (RuntimeException e) {
      log.warn("Cannot drop bad block {} of {}: {}", key.index(), paths.block(key), e.toString());
      return;
    } finally {
      lock.unlock();
    }
    corruptBlocks.increment();
    log.warn("Dropped block {} ({}): {}", key, paths.block(key), problem);
  }

  /**
   * Removes blocks whose rows are already deleted from memory and disk.
   *
   * @return how many were held
   */
  private int forgetBlocksLocked(Collection<BlockKey> keys) {
    int held = 0;
    for (BlockKey key : keys) {
      BlockEntry entry = index.remove(key);
      if (entry != null) {
        held++;
        bytes.addAndGet(-entry.length());
        policy.remove(key);
      }
      deleteQuietly(paths.block(key));
    }
    return held;
  }

  // ---- listings ----

  @Override
  public void recordListing(
      String bucket, String prefix, List<ListedObject> objects, boolean complete) {
    requireNonNull(bucket, "bucket");
    requireNonNull(objects, "objects");
    checkOpen();
    List<String> gone =
        meta.recordListing(bucket, prefix == null ? "" : prefix, List.copyOf(objects), complete,
            config.clock().millis());
    // A complete listing is proof of deletion: what it no longer holds must not be served offline.
    for (String key : gone) {
      forgetObject(bucket, key);
    }
  }

  @Override
  public List<ListedObject> knownObjects(String bucket, String prefix, String startAfter, int limit) {
    requireNonNull(bucket, "bucket");
    if (limit < 0) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: >= 0)");
    }
    checkOpen();
    return limit == 0 ? List.of() : meta.knownObjects(bucket, prefix, startAfter, limit);
  }

  @Override
  public List<String> knownBuckets() {
    checkOpen();
    return meta.knownBuckets();
  }

  // ---- lifecycle ----

  @Override
  public ParquetCatalog parquet() {
    return parquet;
  }

  @Override
  public CacheStats stats() {
    checkOpen();
    return new CacheStats(bytes.get(), config.maxBytes(), index.size(), meta.objectCount(),
        hits.sum(), misses.sum(), evictions.sum(), corruptBlocks.sum());
  }

  /** Persists the reads recorded so far (also runs every second in the background). */
  void flushAccesses() {
    meta.recordAccesses(accesses.drain());
  }

  private void flushAccessesQuietly() {
    try {
      flushAccesses();
    } catch (RuntimeException e) {
      // A lost batch only blurs eviction order after a restart; keep the flusher alive.
      log.warn("Cannot persist block access times: {}", e.toString());
    }
  }

  /**
   * Persists access times, closes SQLite and writes the clean-shutdown marker. Fills still running
   * fail to commit; open {@link CachedBlock}s stay readable.
   */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      lock.unlock();
    }
    flusher.shutdown();
    try {
      flusher.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      flushAccesses();
      meta.close();
      // Last: only a close that got this far may skip the startup scan.
      Files.write(paths.cleanShutdownMarker(), new byte[0]);
    } finally {
      directoryLock.close();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("cache " + config.dir() + " is closed");
    }
  }

  void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // An undeleted file is an orphan; the next unclean-start scan removes it.
      log.warn("Cannot delete {}: {}", file, e.toString());
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing was read from it that matters.
    }
  }

  /** Fills running now, for tests. */
  int runningFills() {
    return fills.size();
  }
}
