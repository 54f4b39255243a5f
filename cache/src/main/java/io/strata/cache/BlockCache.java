package io.strata.cache;

import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A disk cache of object blocks with its metadata in SQLite. Thread-safe.
 *
 * <p>A reader that needs block {@code k} does:
 *
 * <pre>{@code
 * for (;;) {
 *   Optional<CachedBlock> hit = cache.openBlock(k);            // verified against its CRC32C
 *   if (hit.isPresent()) { serve(hit.get()); break; }
 *   Optional<BlockWriter> fill = cache.tryStartFill(k, length); // at most one fill per block
 *   if (fill.isPresent()) { fetchFromUpstreamInto(fill.get()); break; }
 *   cache.fillDone(k).join();                                 // another request is fetching it
 * }
 * }</pre>
 *
 * <p>A cache failure (a missing or corrupt file) never surfaces as an exception from the read
 * methods: the block's metadata is dropped and the block reads as absent, so the caller refetches.
 */
public interface BlockCache extends Closeable {

  /** Opens the cache at {@code config.dir()}, creating or migrating it and recovering after a crash. */
  static BlockCache open(CacheConfig config) throws IOException {
    return io.strata.cache.store.DiskBlockCache.open(config);
  }

  CacheConfig config();

  /** How an object of {@code objectSize} bytes is cut into blocks. */
  BlockLayout layout(long objectSize);

  /** The version of {@code bucket/key} Strata knows, if any. */
  Optional<ObjectVersion> object(String bucket, String key);

  /**
   * Records the upstream's current version of an object. If it differs (by ETag) from the version
   * held, the old version's blocks are dropped.
   */
  void recordObject(ObjectVersion version);

  /** The upstream confirmed the held version of {@code bucket/key} is still current. */
  void markValidated(String bucket, String key, Instant when);

  /** The upstream says {@code bucket/key} does not exist: forget its metadata, blocks and listings. */
  void forgetObject(String bucket, String key);

  /**
   * Drops every cached block of the object (all versions) but keeps what is known of it, so it is
   * still listed and HEAD-able offline; blocks being read at that moment stay.
   *
   * @return the bytes freed
   */
  long evictObject(String bucket, String key);

  /**
   * Objects with metadata in the cache, by key, in {@code bucket} (or all buckets if null) under
   * {@code prefix}, after {@code after} (exclusive, may be null), at most {@code limit}.
   */
  List<CachedObject> cachedObjects(String bucket, String prefix, String after, int limit);

  /** Whether a committed block is recorded (metadata only; the file is checked on open). */
  boolean contains(BlockKey key);

  /**
   * Opens a committed block after checking its file against the recorded CRC32C. A missing or
   * corrupt block is dropped and reads as empty. Records the access for eviction order. The block
   * is not evicted until the returned block is closed.
   */
  Optional<CachedBlock> openBlock(BlockKey key);

  /**
   * Claims the fill of a block: returns a writer if no other fill of {@code key} is running, or
   * empty if one is (wait on {@link #fillDone}). The claim ends when the writer is committed or
   * closed.
   *
   * <p>Usually returns at once. When the cache is over its cap by more than the evictor's headroom
   * (commits outrunning the background evictor), it first waits briefly for an eviction pass, so
   * the cache exceeds its cap by little more than the fills in flight.
   */
  Optional<BlockWriter> tryStartFill(BlockKey key, long length) throws IOException;

  /** Completes when the running fill of {@code key} ends (or at once if none runs). */
  CompletableFuture<Void> fillDone(BlockKey key);

  /**
   * Remembers the objects an upstream listing returned under {@code prefix}, so a listing can be
   * answered offline. Objects under the prefix that the upstream no longer lists are forgotten
   * only when {@code complete} (the listing was not truncated and had no delimiter).
   */
  void recordListing(String bucket, String prefix, List<ListedObject> objects, boolean complete);

  /**
   * Objects known under {@code prefix} (from listings, HEADs and GETs), sorted by key, starting
   * after {@code startAfter} (exclusive, may be null), at most {@code limit}.
   */
  List<ListedObject> knownObjects(String bucket, String prefix, String startAfter, int limit);

  /** Buckets Strata has seen objects or listings in. */
  List<String> knownBuckets();

  /**
   * Bytes of committed blocks the configured {@link Retention} marks {@link Retention#PROTECTED}
   * now (asks it for every block, so O(blocks)). The application refuses a new pin when this plus
   * the pin's bytes would exceed {@link CacheConfig#maxBytes()}: protected blocks are never
   * evicted, so the cache could not stay under its cap.
   */
  long protectedBytes();

  /**
   * Includes {@link #protectedBytes}, so O(blocks): not for probes called every second. A large
   * cache may answer that figure from a recent walk (seconds old at a million blocks).
   */
  CacheStats stats();

  /** Whether the cache is open (not yet closed): O(1), for readiness checks. */
  boolean isOpen();

  /** The parsed Parquet footers of cached objects, per version, in the cache's database. */
  io.strata.cache.meta.ParquetCatalog parquet();

  /** Pins and favorites as the application saved them, in the cache's database. */
  io.strata.cache.meta.SavedSelections savedSelections();

  /** The background sync runs, in the cache's database. */
  io.strata.cache.meta.SyncLog syncLog();

  /** Where the parts of multipart-uploaded object versions lie, in the cache's database. */
  io.strata.cache.meta.PartBoundaries partBoundaries();

  /** Objects read at or after {@code since}, most recent first, at most {@code limit}. */
  List<ObjectVersion> objectsReadSince(Instant since, int limit);

  @Override
  void close() throws IOException;
}
