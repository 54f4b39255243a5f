package io.strata.cache.uploads;

import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable queue of writes Strata acknowledged but has not yet delivered upstream. Thread-safe.
 *
 * <p>Durability: a method that queues a write returns only after its row is committed to SQLite
 * with {@code synchronous=FULL}, and its body was fsync'ed (file and directory) before that. The
 * queue lives in its own directory and database and is never wiped: a crash at any point leaves
 * either the acknowledged write or, for an unacknowledged one, nothing (temporary files are
 * removed by the next {@link #open}).
 *
 * <p>Order: per key, {@link #ready} hands out only the oldest queued write, so writes reach the
 * upstream in the order they were acknowledged; a newer write superseding an older one that has
 * not started uploading replaces it (inheriting its {@code baseEtag}).
 */
public interface UploadQueue extends Closeable {

  static UploadQueue open(UploadQueueConfig config) throws IOException {
    return io.strata.cache.uploads.SqliteUploadQueue.open(config);
  }

  UploadQueueConfig config();

  // ---- staging and queueing ----

  /** Starts a temporary file for a request body (a PUT or a part). */
  StagedBody stage() throws IOException;

  /**
   * Queues a PUT of a committed body, superseding a queued write to the same key that has not
   * started. Fails with {@link QueueFullException} (nothing queued, the staged file deleted) past
   * the pending-bytes limit.
   */
  PendingUpload enqueuePut(PutRequest put);

  /** Queues a DELETE, superseding a queued write to the same key that has not started. */
  PendingUpload enqueueDelete(String bucket, String key, String baseEtag);

  /** Bytes of queued bodies and stored multipart parts. */
  long pendingBytes();

  // ---- read-your-writes ----

  /** The newest queued write to {@code bucket/key}, in any state. */
  Optional<PendingUpload> latest(String bucket, String key);

  /** The newest queued write of every key under {@code prefix}, sorted by key (UTF-8 byte order). */
  List<PendingUpload> latestUnder(String bucket, String prefix);

  /** Every queued write, oldest first (for the admin API). */
  List<PendingUpload> all();

  // ---- flushing ----

  /**
   * Up to {@code limit} writes that may be sent now: {@link UploadState#PENDING}, due at
   * {@code now}, and the oldest queued write of their key. Oldest first.
   */
  List<PendingUpload> ready(Instant now, int limit);

  /** The earliest {@code nextAttemptAt} of a pending write, if any (for the flusher's sleep). */
  Optional<Instant> nextDue();

  /**
   * PENDING to UPLOADING; call before sending a write {@link #ready} returned.
   *
   * @throws java.util.NoSuchElementException if a newer write superseded it meanwhile (its data
   *     file is gone): skip it
   * @throws IllegalStateException if it is not PENDING
   */
  void markUploading(long id);

  /** The write reached the upstream: its row and data file are deleted. */
  void markDone(long id);

  /** A failed attempt: back to pending, {@code retryCount + 1}, retried at {@code nextAttemptAt}. */
  void markFailed(long id, String error, Instant nextAttemptAt);

  /** The upstream changed since the write's base: park it, keeping its data. */
  void markConflict(long id, String upstreamEtag, String message);

  /**
   * An operator's "retry now": a pending write waiting out its back-off becomes due at
   * {@code now}. Fails with {@code NoSuchElementException} for an unknown id and
   * {@code IllegalStateException} for a write that is not pending (uploading, or a conflict).
   */
  void retryNow(long id, Instant now);

  /** Operator's decision for a write in {@link UploadState#CONFLICT}. */
  void resolveConflict(long id, ConflictResolution resolution);

  // ---- multipart uploads ----

  MultipartUpload createMultipart(
      String bucket, String key, String contentType, Map<String, String> userMetadata);

  Optional<MultipartUpload> multipart(String uploadId);

  /** Open multipart uploads under {@code prefix} in a bucket, by key then initiation time. */
  List<MultipartUpload> multiparts(String bucket, String prefix);

  /**
   * Stores (or replaces) part {@code partNumber} from a committed body. Counts toward the limit.
   * The body is taken over: deleted on any failure.
   *
   * @throws java.util.NoSuchElementException if there is no such upload
   */
  UploadedPart putPart(String uploadId, int partNumber, StagedFile body, String etag);

  /** Stored parts, by part number. */
  List<UploadedPart> parts(String uploadId);

  /**
   * Completes an upload: concatenates the named parts (already validated by the caller) into one
   * body, fsyncs it, queues it as a PUT with {@code etag} and the parts' sizes, and deletes the
   * upload and its parts, as one durable step.
   *
   * @throws java.util.NoSuchElementException if there is no such upload
   * @throws IllegalArgumentException if a named part is not stored
   */
  PendingUpload completeMultipart(
      String uploadId, List<Integer> partNumbers, String etag, String baseEtag);

  /**
   * Deletes an upload and its parts.
   *
   * @throws java.util.NoSuchElementException if there is no such upload
   */
  void abortMultipart(String uploadId);

  @Override
  void close() throws IOException;
}
