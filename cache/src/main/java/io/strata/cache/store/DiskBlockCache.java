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
import io.strata.cache.meta.PartBoundaries;
import io.strata.cache.meta.SavedSelections;
import io.strata.cache.meta.SyncLog;
import io.strata.cache.policy.BlockUsage;
import io.strata.cache.policy.EvictionPlan;
import io.strata.cache.policy.EvictionPolicy;
import io.strata.cache.policy.EvictionTargets;
import io.strata.cache.policy.Project;
import io.strata.cache.policy.Projects;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * metadata in SQLite ({@link MetadataStore}), eviction by an {@link EvictionPolicy} on a
 * background {@link Evictor}.
 *
 * <p>In memory: an index of committed blocks ({@link BlockIndex}: key to CRC32C and
 * {@link BlockUsage}: length, project, last access, access count, open readers) that answers
 * {@link #contains} and {@link #openBlock} without SQLite; the byte totals, global and per
 * {@link Projects project}; reads not yet persisted ({@link AccessRecorder}, flushed every second
 * and on close); running fills ({@link FillClaims}); and a bounded cache of object rows. Listings
 * are read from SQLite.
 *
 * <p>Eviction: a commit only adds its block and, if the cache or the block's project is now over
 * its cap, wakes the evictor. The evictor's pass asks the policy for victims (classifying every
 * block through the {@link io.strata.cache.Retention} at that moment) down to a low watermark of
 * 95% of each cap, so passes run once per 5% of a cap filled, not per block, then deletes them in
 * small batches under the lock, skipping any block re-committed or opened meanwhile. The cache
 * can therefore run over its cap by what commits while a pass runs; {@link #tryStartFill} bounds
 * that: past the cap plus a headroom of 5% it waits (at most {@link #FILL_ADMISSION_WAIT_MILLIS})
 * for the queued pass before claiming, so beyond the headroom only fills already in flight add
 * bytes. When nothing more can be evicted (protected or open blocks), it does not wait.
 *
 * <p>Concurrency: every change to a committed block moves its file, its SQLite row, its index
 * entry and the byte totals together under {@link #lock}, in the order rename → row → memory when
 * adding and row → memory → unlink when removing. So a block is in the index exactly when its row
 * exists, and no unlink can hit a file a later fill renamed into place. Readers take no lock: they
 * verify the file they open against the entry they looked up, and a file unlinked while open (its
 * object changed) stays readable. Slow work (writing and verifying block bytes, sorting victims)
 * never holds the lock. Lock order: {@link #lock} → object cache entry → {@link MetadataStore}'s
 * lock. The claim check in {@link #tryStartFill} guarantees that a block being filled is not in
 * the index, so its fill cannot clash with a removal.
 */
public final class DiskBlockCache implements BlockCache {

  private static final Logger log = LoggerFactory.getLogger(DiskBlockCache.class);

  /** How often reads are persisted; a crash loses at most this much eviction order. */
  private static final long FLUSH_INTERVAL_MILLIS = 1000;

  /** Object rows kept in memory: each request looks its object up at least once. */
  private static final long OBJECT_CACHE_SIZE = 65_536;

  /** The longest a fill waits for the evictor when the cache is far over its cap. */
  static final long FILL_ADMISSION_WAIT_MILLIS = 1000;

  /** How soon a pass that could not meet its targets (protected or open blocks) is retried. */
  private static final long EVICTION_RETRY_MILLIS = 1000;

  /** Victims deleted per hold of the lock, so commits and reads interleave with a long pass. */
  private static final int EVICTION_BATCH = 256;

  /** Rounds per pass: the first frees what was over, the others what committed meanwhile. */
  private static final int EVICTION_ROUNDS = 3;

  private final CacheConfig config;
  private final BlockPaths paths;
  private final DirectoryLock directoryLock;
  private final MetadataStore meta;
  private final ParquetCatalog parquet;
  private final SavedSelections savedSelections;
  private final SyncLog syncLog;
  private final PartBoundaries partBoundaries;
  private final EvictionPolicy policy;
  private final Evictor evictor;
  private final WarnLevel warnLevel;
  private final FillClaims fills = new FillClaims();
  private final AccessRecorder accesses = new AccessRecorder();
  private final Cache<ObjectId, Optional<ObjectVersion>> objects =
      Caffeine.newBuilder().maximumSize(OBJECT_CACHE_SIZE).build();
  private final ScheduledExecutorService flusher;

  private final ReentrantLock lock = new ReentrantLock();
  /** Committed blocks. Changed under {@link #lock}, read without it. */
  private final BlockIndex index;
  /** Sum of the lengths in {@link #index}. Changed under {@link #lock}. */
  private final AtomicLong bytes = new AtomicLong();
  /** The same per project. Changed under {@link #lock}. */
  private final Projects projects;
  /** Sequence of block accesses (commits and reads): the final tie-breaker of eviction order. */
  private final AtomicLong accessSequence = new AtomicLong();
  /** Guarded by {@link #lock} for writes. */
  private volatile boolean closed;
  /** Whether the last pass fell short of its targets; logged on change. Evictor thread only. */
  private boolean evictionStuck;

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
    this.savedSelections = new SavedSelections(meta);
    this.syncLog = new SyncLog(meta);
    this.partBoundaries = new PartBoundaries(meta);
    this.policy = EvictionPolicy.prioritized(config.retention());
    this.projects = loaded.projects();
    this.warnLevel = new WarnLevel(paths.root().toString(), config.warnBytes(), config.maxBytes());
    this.index = loaded.index();
    accessSequence.set(loaded.lastRecency());
    bytes.set(loaded.bytes());
    warnLevel.update(loaded.bytes());
    evictor = new Evictor("strata-cache-evictor", this::evictionPass, EVICTION_RETRY_MILLIS);
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
          new CacheLoader(paths, config.clock(), layoutSetting(config), config.projectDepth()).load();
      DiskBlockCache cache = new DiskBlockCache(config, paths, directoryLock, loaded);
      // The caps may have shrunk since the last run.
      cache.wakeEvictorIfOver(null);
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

  @Override
  public long evictObject(String bucket, String key) {
    requireNonNull(bucket, "bucket");
    requireNonNull(key, "key");
    checkOpen();
    lock.lock();
    try {
      List<BlockKey> keys = new ArrayList<>();
      long[] freed = {0};
      index.forEachOf(bucket, key, entry -> {
        // A block being read stays; it goes at the next eviction once its reader is done.
        if (!entry.isBeingRead()) {
          keys.add(entry.key());
          freed[0] += entry.length();
        }
      });
      meta.deleteBlocks(keys);
      evictions.add(forgetBlocksLocked(keys));
      return freed[0];
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<io.strata.cache.CachedObject> cachedObjects(String bucket, String prefix, String after, int limit) {
    checkOpen();
    return meta.objects(bucket, prefix, after, limit);
  }

  // ---- blocks ----

  @Override
  public boolean contains(BlockKey key) {
    requireNonNull(key, "key");
    checkOpen();
    return index.contains(key);
  }

  @Override
  public Optional<CachedBlock> openBlock(BlockKey key) {
    requireNonNull(key, "key");
    checkOpen();
    BlockEntry entry = index.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    Path file = paths.block(key);
    FileChannel channel = null;
    BasicFileAttributes attributes;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      if (channel != null) {
        closeQuietly(channel);
      }
      dropCorrupt(key, entry, "file is missing");
      return Optional.empty();
    } catch (IOException e) {
      // Not proof of corruption (descriptors may have run out): keep the block, serve a miss.
      if (channel != null) {
        closeQuietly(channel);
      }
      log.warn("Cannot open block {} of {}: {}", key.index(), file, e.toString());
      return Optional.empty();
    }
    if (!entry.checked(attributes.lastModifiedTime(), attributes.size())) {
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
      entry.markChecked(attributes.lastModifiedTime(), System.currentTimeMillis()); // file times are wall-clock
    }
    hits.increment();
    long now = config.clock().millis();
    entry.recordRead(now, accessSequence.incrementAndGet());
    entry.beginRead();
    accesses.record(key, now);
    return Optional.of(new DiskCachedBlock(key, entry, channel));
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
    admitFill();
    CompletableFuture<Void> claim = fills.tryClaim(key);
    if (claim == null) {
      return Optional.empty();
    }
    // Checked after claiming: from here until the claim ends nobody else can add this block.
    if (index.contains(key)) {
      fills.release(key, claim);
      return Optional.empty();
    }
    BlockWriter writer;
    try {
      // Made now, not under the lock at publish: the fan-out directory the temp file moves into.
      Files.createDirectories(paths.block(key).getParent());
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
   * Bounds how far commits can outrun the evictor: over the cap, wake it; far over, wait briefly
   * for its pass. Claims are not held while waiting (though the caller may hold earlier blocks of
   * its run, which the evictor never waits for).
   */
  private void admitFill() {
    long total = bytes.get();
    if (total <= config.maxBytes()) {
      return;
    }
    evictor.wake();
    long headroom = Math.max(config.maxBytes() / 20, config.blockSize() + config.minTailSize());
    if (total > config.maxBytes() + headroom) {
      evictor.awaitQueued(FILL_ADMISSION_WAIT_MILLIS);
    }
  }

  /**
   * Makes a fully written temp file the committed block {@code key}, then wakes the evictor if a
   * cap is exceeded. On failure the committed file is gone again and the caller deletes the temp
   * file.
   */
  void publish(BlockKey key, Path temp, long length, long crc32c) throws IOException {
    Path file = paths.block(key);
    long now = config.clock().millis();
    Project project;
    lock.lock();
    try {
      if (closed) {
        throw new IOException("cache is closed; not committing " + key);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      boolean recorded;
      try {
        recorded = meta.insertBlock(new BlockRow(key, length, crc32c, now));
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
      project = projects.add(key, length);
      BlockIndex.Version version = index.version(key.bucket(), key.key(), key.etag());
      BlockEntry previous = index.put(new BlockEntry(version, key.index(), length, crc32c, project,
          now, 0, accessSequence.incrementAndGet()));
      if (previous != null) { // unreachable while the claim check holds; keep totals right anyway
        bytes.addAndGet(-previous.length());
        projects.remove(previous.project(), previous.length());
      }
      warnLevel.update(bytes.addAndGet(length));
    } finally {
      lock.unlock();
    }
    wakeEvictorIfOver(project);
  }

  void releaseFill(BlockKey key, CompletableFuture<Void> claim) {
    fills.release(key, claim);
  }

  // ---- eviction ----

  /** 95%: a pass frees 5% of a cap, so passes run once per 5% filled rather than per block. */
  static long lowWatermark(long cap) {
    return cap - cap / 20;
  }

  /** Wakes the evictor if the cache, or {@code project} (null: any project), is over its cap. */
  private void wakeEvictorIfOver(Project project) {
    long projectCap = config.projectMaxBytes();
    boolean projectOver = project != null
        ? project.bytes() > projectCap
        : projects.all().stream().anyMatch(p -> p.bytes() > projectCap);
    if (bytes.get() > config.maxBytes() || projectOver) {
      evictor.wake();
    }
  }

  /**
   * What a round must free now: down to the low watermark of each cap over {@code trigger} (the
   * cap itself, or the low watermark for the rounds that catch up with commits made meanwhile).
   */
  private EvictionTargets evictionTargets(boolean fromLowWatermark) {
    long total = bytes.get();
    long cacheTrigger = fromLowWatermark ? lowWatermark(config.maxBytes()) : config.maxBytes();
    long cacheExcess = total > cacheTrigger ? total - lowWatermark(config.maxBytes()) : 0;
    long projectTrigger =
        fromLowWatermark ? lowWatermark(config.projectMaxBytes()) : config.projectMaxBytes();
    Map<Project, Long> projectExcess = new IdentityHashMap<>();
    for (Project p : projects.all()) {
      long held = p.bytes();
      if (held > projectTrigger) {
        projectExcess.put(p, held - lowWatermark(config.projectMaxBytes()));
      }
    }
    return new EvictionTargets(cacheExcess, projectExcess);
  }

  /**
   * One eviction pass, on the evictor thread. Each round chooses victims without the lock, then
   * deletes them in batches under it. Commits land meanwhile, so a pass that found a cap exceeded
   * runs up to {@link #EVICTION_ROUNDS} rounds, until every cap is down to its low watermark.
   *
   * @return whether the caps are met (false: what is left is protected or being read)
   */
  private boolean evictionPass() {
    boolean complete = true;
    long protectedBytes = 0;
    int evicted = 0;
    for (int round = 0; round < EVICTION_ROUNDS && complete && !closed; round++) {
      EvictionTargets targets = evictionTargets(/* fromLowWatermark= */ round > 0);
      if (targets.isEmpty()) {
        break;
      }
      EvictionPlan plan = policy.plan(index.usages(), targets);
      List<BlockUsage> victims = plan.victims();
      for (int from = 0; from < victims.size() && !closed; from += EVICTION_BATCH) {
        evicted += evictBatch(victims.subList(from, Math.min(victims.size(), from + EVICTION_BATCH)));
      }
      complete = plan.complete();
      protectedBytes = plan.protectedBytes();
    }
    if (evicted > 0) {
      log.debug("Evicted {} blocks; now {} bytes, {} protected", evicted, bytes.get(), protectedBytes);
    }
    if (!complete && !evictionStuck) {
      log.warn("Cache {} cannot get under its caps ({} bytes held, cap {}, {} protected, project"
              + " cap {}): the rest is protected or being read. Retrying every {} ms.",
          paths.root(), bytes.get(), config.maxBytes(), protectedBytes, config.projectMaxBytes(),
          EVICTION_RETRY_MILLIS);
    } else if (complete && evictionStuck) {
      log.info("Cache {} is within its caps again: {} bytes", paths.root(), bytes.get());
    }
    evictionStuck = !complete;
    return complete;
  }

  /** Deletes the victims still held as chosen and not opened since. @return how many */
  private int evictBatch(List<BlockUsage> batch) {
    lock.lock();
    try {
      if (closed) {
        return 0;
      }
      List<BlockKey> keys = new ArrayList<>(batch.size());
      for (BlockUsage victim : batch) {
        // The policy hands back the index's own entries; identity tells a re-committed block.
        BlockEntry entry = (BlockEntry) victim;
        if (index.holds(entry) && !entry.isBeingRead()) {
          keys.add(entry.key());
        }
      }
      meta.deleteBlocks(keys);
      int evicted = forgetBlocksLocked(keys);
      evictions.add(evicted);
      return evicted;
    } finally {
      lock.unlock();
    }
  }

  /** Waits for the eviction passes asked for so far (tests). */
  void awaitEvictionIdle() {
    if (!evictor.awaitQueued(TimeUnit.SECONDS.toMillis(30))) {
      throw new IllegalStateException("eviction did not settle within 30 s");
    }
    // A queued pass may have run before the last commit's wake merged into it, or come up short
    // on a block that was busy then and is a delayed retry now: one more pass sees everything.
    evictor.passNow(TimeUnit.SECONDS.toMillis(30));
  }

  /** Runs an eviction pass now and waits for it (tests). @return whether the caps are met */
  boolean evictNow() {
    return evictor.passNow(TimeUnit.SECONDS.toMillis(30));
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
        warnLevel.update(bytes.addAndGet(-entry.length()));
        projects.remove(entry.project(), entry.length());
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
  public SavedSelections savedSelections() {
    return savedSelections;
  }

  @Override
  public SyncLog syncLog() {
    return syncLog;
  }

  @Override
  public PartBoundaries partBoundaries() {
    return partBoundaries;
  }

  @Override
  public List<ObjectVersion> objectsReadSince(Instant since, int limit) {
    checkOpen();
    return meta.objectsReadSince(since, limit);
  }

  @Override
  public long protectedBytes() {
    checkOpen();
    return policy.protectedBytes(index.usages());
  }

  /** Walks below this cost are not reused. */
  private static final long PROTECTED_MEMO_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** A reused figure lives this many times what it cost to compute. */
  private static final long PROTECTED_MEMO_FACTOR = 20;

  private record ProtectedMemo(long bytes, long validUntilNanos) {}

  private volatile ProtectedMemo protectedMemo;

  /** {@link #protectedBytes()}, reused while recent for a large cache (see {@link #stats()}). */
  private long recentProtectedBytes() {
    long now = System.nanoTime();
    ProtectedMemo memo = protectedMemo;
    if (memo != null && now - memo.validUntilNanos() < 0) {
      return memo.bytes();
    }
    long bytes = protectedBytes();
    long took = System.nanoTime() - now;
    protectedMemo = took >= PROTECTED_MEMO_MIN_NANOS
        ? new ProtectedMemo(bytes, now + took * PROTECTED_MEMO_FACTOR) : null;
    return bytes;
  }

  /**
   * {@link CacheStats#protectedBytes()} is O(blocks): asking the retention about every block
   * costs about half a microsecond each and a key per block, so half a second and 100 MB of
   * garbage at a million blocks, which the dashboard's history (every 5 s) and the metrics (every
   * second) would otherwise pay. A figure that took {@link #PROTECTED_MEMO_MIN_NANOS} or more is
   * reused for {@link #PROTECTED_MEMO_FACTOR} times what it cost, so the walk takes at most 5% of
   * a core; a smaller cache is walked on every call. {@link #protectedBytes()} itself, which
   * admits pins, is always exact.
   */
  @Override
  public CacheStats stats() {
    checkOpen();
    return new CacheStats(bytes.get(), config.maxBytes(), config.warnBytes(), recentProtectedBytes(),
        config.projectMaxBytes(), index.size(), meta.objectCount(), hits.sum(), misses.sum(),
        evictions.sum(), corruptBlocks.sum(), projects.largest(CacheStats.MAX_PROJECTS));
  }

  @Override
  public boolean isOpen() {
    return !closed;
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
    evictor.close();
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
