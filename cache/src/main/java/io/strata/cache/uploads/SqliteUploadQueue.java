package io.strata.cache.uploads;

import io.strata.cache.common.DirectoryLock;
import static java.util.Objects.requireNonNull;

import io.strata.cache.uploads.PendingRows.NewWrite;
import io.strata.cache.uploads.PendingRows.Queued;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload queue: bodies as files under {@link QueuePaths}, writes as rows in SQLite.
 *
 * <p>Durability: every change is ordered so that a crash at any point leaves a state
 * {@link QueueLoader} repairs without losing an acknowledged write. Files come first and rows
 * second when something is added (body fsync'ed, renamed into {@code data/}, directory fsync'ed,
 * then the row committed with {@code synchronous=FULL}); rows come first and files second when
 * something is removed (row deleted and committed, then the file unlinked). So a crash leaves at
 * worst a file no row refers to, which the next open deletes.
 *
 * <p>Concurrency: one {@link #lock} guards the database connection and every file move or delete
 * that goes with a row change, so each method is atomic with respect to the others. Bodies are
 * written ({@link #stage}) and multipart bodies concatenated ({@link #completeMultipart}) outside
 * the lock; only their final rename and row commit take it. {@link #pendingBytes} is changed only
 * under the lock and read without it. There is no other lock, so no lock order.
 *
 * <p>Bodies handed in ({@link PutRequest#body()}, {@link #putPart}) are taken over: on any failure
 * to queue them, not only {@link QueueFullException}, they are deleted, since nothing refers to
 * them.
 */
public final class SqliteUploadQueue implements UploadQueue {

  private static final Logger log = LoggerFactory.getLogger(SqliteUploadQueue.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();
  /** S3's range of part numbers. */
  private static final int MAX_PART_NUMBER = 10_000;

  private final UploadQueueConfig config;
  private final QueuePaths paths;
  private final DirectoryLock directoryLock;
  private final ReentrantLock lock = new ReentrantLock();
  /** Guarded by {@link #lock}. */
  private final QueueDatabase db;
  private final PendingRows pending;
  private final MultipartRows multipart;
  /** Bytes of queued bodies and stored parts; written under {@link #lock}. */
  private final AtomicLong pendingBytes;
  /** Guarded by {@link #lock}. */
  private boolean closed;
  /**
   * {@code bucket NUL key} of every key with a queued write, so that a read of any other key (by
   * far the most common) needs no lock and no SQL. A key is added after the transaction queueing
   * its write commits, and removed under {@link #lock} only once no row of it remains: a reader
   * that misses a key has no write to see.
   */
  private final Set<String> keysWithWrites = ConcurrentHashMap.newKeySet();

  private SqliteUploadQueue(
      UploadQueueConfig config, QueuePaths paths, DirectoryLock directoryLock, QueueLoader.Loaded loaded) {
    this.config = config;
    this.paths = paths;
    this.directoryLock = directoryLock;
    this.db = loaded.db();
    this.pending = new PendingRows(paths);
    this.multipart = new MultipartRows(paths);
    this.pendingBytes = new AtomicLong(loaded.pendingBytes());
    keysWithWrites.addAll(db.call("keys with writes", c -> {
      List<String> keys = new ArrayList<>();
      try (java.sql.Statement st = c.createStatement();
          java.sql.ResultSet rs = st.executeQuery("SELECT DISTINCT bucket, key FROM pending_uploads")) {
        while (rs.next()) {
          keys.add(keyId(rs.getString(1), rs.getString(2)));
        }
      }
      return keys;
    }));
  }

  /** Opens the queue in {@code config.dir()}, creating it if needed and recovering it if not. */
  public static UploadQueue open(UploadQueueConfig config) throws IOException {
    requireNonNull(config, "config");
    QueuePaths paths = new QueuePaths(config.dir());
    Files.createDirectories(paths.root());
    DirectoryLock directoryLock = DirectoryLock.acquire(paths.lockFile());
    try {
      QueueLoader.Loaded loaded = new QueueLoader(paths).load();
      return new SqliteUploadQueue(config, paths, directoryLock, loaded);
    } catch (IOException | RuntimeException e) {
      directoryLock.close();
      throw e;
    }
  }

  @Override
  public UploadQueueConfig config() {
    return config;
  }

  // ---- staging and queueing ----

  @Override
  public StagedBody stage() throws IOException {
    return FileStagedBody.create(paths);
  }

  @Override
  public PendingUpload enqueuePut(PutRequest put) {
    requireNonNull(put, "put");
    Path body = requireCommittedBody(put.body());
    return takingOver(body, () -> locked(() -> {
      reserve(put.body().size());
      Queued queued = db.transaction("enqueue put",
          c -> pending.queue(c, NewWrite.put(put, paths.relative(body)), now()));
      return afterQueued(queued);
    }));
  }

  @Override
  public PendingUpload enqueueDelete(String bucket, String key, String baseEtag) {
    requireNonNull(bucket, "bucket");
    requireNonNull(key, "key");
    // A delete adds no bytes, so it is never refused: it is how a full queue gets emptier.
    return locked(() -> afterQueued(db.transaction("enqueue delete",
        c -> pending.queue(c, NewWrite.delete(bucket, key, baseEtag), now()))));
  }

  @Override
  public long pendingBytes() {
    return pendingBytes.get();
  }

  // ---- read-your-writes ----

  @Override
  public Optional<PendingUpload> latest(String bucket, String key) {
    requireNonNull(bucket, "bucket");
    requireNonNull(key, "key");
    if (!keysWithWrites.contains(keyId(bucket, key))) {
      return Optional.empty();
    }
    return locked(() -> db.call("latest", c -> pending.newest(c, bucket, key)));
  }

  @Override
  public List<PendingUpload> latestUnder(String bucket, String prefix) {
    requireNonNull(bucket, "bucket");
    requireNonNull(prefix, "prefix");
    return locked(() -> db.call("latest under prefix", c -> pending.latestUnder(c, bucket, prefix)));
  }

  @Override
  public List<PendingUpload> all() {
    return locked(() -> db.call("all", c -> pending.list(c, "ORDER BY id")));
  }

  // ---- flushing ----

  @Override
  public List<PendingUpload> ready(Instant now, int limit) {
    requireNonNull(now, "now");
    if (limit <= 0) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
    }
    return locked(() -> db.call("ready", c -> pending.ready(c, now, limit)));
  }

  @Override
  public Optional<Instant> nextDue() {
    return locked(() -> db.call("next due", pending::nextDue));
  }

  /**
   * @throws NoSuchElementException if the write is no longer queued: a newer write superseded it
   *     after {@link #ready} returned it, so it must not be sent
   * @throws IllegalStateException if it is not {@link UploadState#PENDING}
   */
  @Override
  public void markUploading(long id) {
    locked(() -> db.transaction("mark uploading", c -> {
      require(c, id, Set.of(UploadState.PENDING), "start uploading");
      return Sql.update(c, "UPDATE pending_uploads SET state = 'UPLOADING' WHERE id = ?", id);
    }));
  }

  @Override
  public void markDone(long id) {
    locked(() -> {
      PendingUpload row = db.transaction("mark done", c -> {
        PendingUpload r = require(c, id, Set.of(UploadState.UPLOADING, UploadState.PENDING), "finish");
        pending.delete(c, id);
        return r;
      });
      dropBody(row);
      forgetKeyIfDone(row.bucket(), row.key());
      return null;
    });
  }

  @Override
  public void markFailed(long id, String error, Instant nextAttemptAt) {
    requireNonNull(nextAttemptAt, "nextAttemptAt");
    locked(() -> db.transaction("mark failed", c -> {
      require(c, id, Set.of(UploadState.UPLOADING, UploadState.PENDING), "fail");
      return Sql.update(c,
          "UPDATE pending_uploads SET state = 'PENDING', retry_count = retry_count + 1,"
              + " last_error = ?, next_attempt_at = ? WHERE id = ?",
          error, nextAttemptAt.toEpochMilli(), id);
    }));
  }

  @Override
  public void retryNow(long id, Instant now) {
    requireNonNull(now, "now");
    locked(() -> db.transaction("retry now", c -> {
      require(c, id, Set.of(UploadState.PENDING), "retry");
      return Sql.update(c, "UPDATE pending_uploads SET next_attempt_at = ? WHERE id = ?", now.toEpochMilli(), id);
    }));
  }

  @Override
  public void markConflict(long id, String upstreamEtag, String message) {
    PendingUpload row = locked(() -> db.transaction("mark conflict", c -> {
      PendingUpload r = require(c, id, Set.of(UploadState.UPLOADING, UploadState.PENDING), "park");
      Sql.update(c,
          "UPDATE pending_uploads SET state = 'CONFLICT', conflict_etag = ?, last_error = ? WHERE id = ?",
          upstreamEtag, message, id);
      return r;
    }));
    // Once per conflict: the row stays parked until an operator resolves it.
    log.warn("Upload {} ({} {}/{}) parked as CONFLICT: upstream has {} instead of {}: {}",
        id, row.operation(), row.bucket(), row.key(), upstreamEtag, row.baseEtag(), message);
  }

  @Override
  public void resolveConflict(long id, ConflictResolution resolution) {
    requireNonNull(resolution, "resolution");
    locked(() -> {
      if (resolution instanceof ConflictResolution.Overwrite) {
        overwrite(id);
      } else if (resolution instanceof ConflictResolution.Discard) {
        PendingUpload discarded = db.transaction("discard", c -> {
          PendingUpload row = require(c, id, Set.of(UploadState.CONFLICT), "discard");
          pending.delete(c, id);
          return row;
        });
        dropBody(discarded);
        forgetKeyIfDone(discarded.bucket(), discarded.key());
      } else if (resolution instanceof ConflictResolution.UploadAs as) {
        uploadAs(id, as.newKey());
      }
      return null;
    });
  }

  /** Caller holds {@link #lock}. The write now expects the version the upstream was found at. */
  private void overwrite(long id) {
    db.transaction("overwrite", c -> {
      PendingUpload row = require(c, id, Set.of(UploadState.CONFLICT), "overwrite");
      String base = row.conflictEtag();
      Sql.update(c,
          "UPDATE pending_uploads SET state = 'PENDING', base_etag = ?, operation = ?,"
              + " conflict_etag = NULL, last_error = NULL, retry_count = 0, next_attempt_at = ?"
              + " WHERE id = ?",
          base, PendingRows.operation(row.isDelete(), base).name(), now().toEpochMilli(), id);
      pending.rebaseAfter(c, row);
      return null;
    });
  }

  /** Caller holds {@link #lock}. */
  private void uploadAs(long id, String newKey) {
    requireNonNull(newKey, "newKey");
    long[] movedSize = new long[1];
    String[] from = new String[2];
    Queued queued = db.transaction("upload as", c -> {
      PendingUpload row = require(c, id, Set.of(UploadState.CONFLICT), "upload elsewhere");
      from[0] = row.bucket();
      from[1] = row.key();
      if (row.isDelete() || newKey.equals(row.key())) {
        throw new IllegalArgumentException("upload " + id + ": cannot upload "
            + (row.isDelete() ? "a DELETE" : "to its own key (use Overwrite)") + " as " + newKey);
      }
      movedSize[0] = row.size();
      pending.delete(c, id);
      // A new row (new id) so it queues behind earlier writes to newKey, under the same rules as
      // a client PUT of these bytes now: with none queued it is a CREATE.
      return pending.queue(c, new NewWrite(row.bucket(), newKey, false,
          paths.relative(row.dataFile()), row.size(), row.etag(), row.checksumAlgorithm(),
          row.checksumValue(), row.contentType(), row.userMetadata(), row.partSizes(),
          /* callerBase= */ null), now());
    });
    // The body moved from the old row to the new one: it was counted once and still is.
    pendingBytes.addAndGet(-movedSize[0]);
    afterQueued(queued);
    forgetKeyIfDone(from[0], from[1]);
  }

  // ---- multipart uploads ----

  @Override
  public MultipartUpload createMultipart(
      String bucket, String key, String contentType, Map<String, String> userMetadata) {
    requireNonNull(bucket, "bucket");
    requireNonNull(key, "key");
    // 160 random bits in hex: unguessable, URL- and file-name-safe (it names parts/UPLOADID/).
    byte[] random = new byte[20];
    RANDOM.nextBytes(random);
    MultipartUpload upload = new MultipartUpload(HEX.formatHex(random), bucket, key, contentType,
        userMetadata == null ? Map.of() : Map.copyOf(userMetadata), now());
    return locked(() -> db.call("create multipart upload", c -> {
      multipart.insert(c, upload);
      return upload;
    }));
  }

  @Override
  public Optional<MultipartUpload> multipart(String uploadId) {
    requireNonNull(uploadId, "uploadId");
    return locked(() -> db.call("multipart upload", c -> multipart.upload(c, uploadId)));
  }

  @Override
  public List<MultipartUpload> multiparts(String bucket, String prefix) {
    requireNonNull(bucket, "bucket");
    String p = prefix == null ? "" : prefix;
    return locked(() -> db.call("multipart uploads", c -> multipart.uploadsUnder(c, bucket, p)));
  }

  /**
   * The body is moved to {@code parts/UPLOADID/} under a new name, so a replaced part keeps its
   * file until the row swap commits.
   *
   * @throws NoSuchElementException if there is no such upload (the body is deleted)
   */
  @Override
  public UploadedPart putPart(String uploadId, int partNumber, StagedFile body, String etag) {
    requireNonNull(uploadId, "uploadId");
    requireNonNull(etag, "etag");
    Path source = requireCommittedBody(body);
    if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
      FileStagedBody.deleteQuietly(source);
      throw new IllegalArgumentException(
          "partNumber: " + partNumber + " (expected: 1 to " + MAX_PART_NUMBER + ")");
    }
    return takingOver(source, () -> locked(() -> {
      reserve(body.size());
      requireUpload(uploadId);
      Path target = paths.newPart(uploadId, partNumber);
      UploadedPart part = new UploadedPart(partNumber, target, body.size(), etag, now());
      Optional<UploadedPart> replaced;
      try {
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
          Files.createDirectories(dir);
          QueuePaths.forceDirectory(dir.getParent());
        }
        QueuePaths.moveDurably(source, target);
        replaced = db.transaction("put part", c -> multipart.putPart(c, uploadId, part));
      } catch (IOException | RuntimeException e) {
        FileStagedBody.deleteQuietly(target);
        throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
      }
      pendingBytes.addAndGet(part.size() - replaced.map(UploadedPart::size).orElse(0L));
      replaced.ifPresent(old -> FileStagedBody.deleteQuietly(old.file()));
      return part;
    }));
  }

  @Override
  public List<UploadedPart> parts(String uploadId) {
    requireNonNull(uploadId, "uploadId");
    return locked(() -> db.call("parts", c -> multipart.parts(c, uploadId)));
  }

  /**
   * The concatenation is written outside the queue's lock (it may be gigabytes); the parts are
   * then checked to be the ones copied, and the row swap is one transaction.
   *
   * @throws NoSuchElementException if there is no such upload (or it was aborted meanwhile)
   * @throws IllegalArgumentException if a named part is not stored
   * @throws IllegalStateException if a named part was replaced while the body was being copied
   */
  @Override
  public PendingUpload completeMultipart(
      String uploadId, List<Integer> partNumbers, String etag, String baseEtag) {
    requireNonNull(uploadId, "uploadId");
    requireNonNull(etag, "etag");
    if (partNumbers == null || partNumbers.isEmpty()) {
      throw new IllegalArgumentException("partNumbers: empty (expected: at least one part)");
    }
    List<UploadedPart> chosen = locked(() -> {
      requireUpload(uploadId);
      return choose(db.call("parts", c -> multipart.parts(c, uploadId)), partNumbers);
    });

    StagedFile body;
    try (FileStagedBody staged = FileStagedBody.create(paths)) {
      for (UploadedPart part : chosen) {
        staged.append(part.file());
      }
      body = staged.commit();
    } catch (IOException e) {
      // A part file vanishes when the upload is aborted or the part replaced meanwhile.
      locked(() -> requireUpload(uploadId));
      throw new UncheckedIOException("completing multipart upload " + uploadId + " failed", e);
    }

    return takingOver(body.path(), () -> locked(() -> {
      MultipartUpload upload = requireUpload(uploadId);
      List<UploadedPart> all = new ArrayList<>();
      Queued queued = db.transaction("complete multipart upload", c -> {
        all.addAll(multipart.parts(c, uploadId));
        if (!choose(all, partNumbers).equals(chosen)) {
          throw new IllegalStateException("multipart upload " + uploadId
              + ": parts were replaced while it was being completed");
        }
        multipart.delete(c, uploadId);
        return pending.queue(c, new NewWrite(upload.bucket(), upload.key(), false,
            paths.relative(body.path()), body.size(), etag, null, null, upload.contentType(),
            upload.userMetadata(), chosen.stream().map(UploadedPart::size).toList(), baseEtag), now());
      });
      // The parts' bytes now live in the body; parts the client left out are dropped, as in S3.
      pendingBytes.addAndGet(-all.stream().mapToLong(UploadedPart::size).sum());
      deletePartFiles(uploadId, all);
      return afterQueued(queued);
    }));
  }

  /** @throws NoSuchElementException if there is no such upload */
  @Override
  public void abortMultipart(String uploadId) {
    requireNonNull(uploadId, "uploadId");
    locked(() -> {
      requireUpload(uploadId);
      List<UploadedPart> parts = db.transaction("abort multipart upload", c -> {
        List<UploadedPart> p = multipart.parts(c, uploadId);
        multipart.delete(c, uploadId);
        return p;
      });
      pendingBytes.addAndGet(-parts.stream().mapToLong(UploadedPart::size).sum());
      deletePartFiles(uploadId, parts);
      return null;
    });
  }

  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        db.close();
      } finally {
        directoryLock.close();
      }
    } finally {
      lock.unlock();
    }
  }

  // ---- helpers ----

  private <T> T locked(Supplier<T> work) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the upload queue is closed");
      }
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code work}; if it fails, {@code body} was not queued and nothing refers to it. */
  private static <T> T takingOver(Path body, Supplier<T> work) {
    boolean queued = false;
    try {
      T result = work.get();
      queued = true;
      return result;
    } finally {
      if (!queued) {
        FileStagedBody.deleteQuietly(body);
      }
    }
  }

  private Instant now() {
    return config.clock().instant();
  }

  /** Caller holds {@link #lock}. */
  private void reserve(long adding) {
    long current = pendingBytes.get();
    if (current + adding > config.maxPendingBytes()) {
      throw new QueueFullException(current, adding, config.maxPendingBytes());
    }
  }

  private Path requireCommittedBody(StagedFile body) {
    requireNonNull(body, "body");
    if (!paths.isCommittedBody(body.path())) {
      throw new IllegalArgumentException(
          "body: " + body.path() + " (expected: a file committed by this queue's stage())");
    }
    return body.path();
  }

  /** Caller holds {@link #lock}. */
  private MultipartUpload requireUpload(String uploadId) {
    return db.call("multipart upload", c -> multipart.upload(c, uploadId))
        .orElseThrow(() -> new NoSuchElementException("multipart upload " + uploadId + ": not found"));
  }

  private PendingUpload require(java.sql.Connection c, long id, Set<UploadState> allowed, String action)
      throws java.sql.SQLException {
    PendingUpload row = pending.byId(c, id).orElseThrow(() -> new NoSuchElementException(
        "upload " + id + ": not queued (delivered, superseded or discarded)"));
    if (!allowed.contains(row.state())) {
      throw new IllegalStateException(
          "upload " + id + ": cannot " + action + " in state " + row.state() + " (expected: " + allowed + ")");
    }
    return row;
  }

  private static List<UploadedPart> choose(List<UploadedPart> stored, List<Integer> numbers) {
    List<UploadedPart> chosen = new ArrayList<>();
    for (int n : numbers) {
      chosen.add(stored.stream().filter(p -> p.partNumber() == n).findFirst().orElseThrow(() ->
          new IllegalArgumentException("part " + n + ": not stored")));
    }
    return chosen;
  }

  /** Caller holds {@link #lock}; the transaction that queued the write has committed. */
  private PendingUpload afterQueued(Queued queued) {
    keysWithWrites.add(keyId(queued.row().bucket(), queued.row().key()));
    pendingBytes.addAndGet(queued.row().size() - queued.supersededSize());
    queued.superseded().ifPresent(s -> FileStagedBody.deleteQuietly(s.dataFile()));
    return queued.row();
  }

  /** Caller holds {@link #lock}; a row of the key was deleted and the deletion committed. */
  private void forgetKeyIfDone(String bucket, String key) {
    boolean more = db.call("key has writes", c -> {
      try (java.sql.PreparedStatement ps =
          c.prepareStatement("SELECT 1 FROM pending_uploads WHERE bucket = ? AND key = ? LIMIT 1")) {
        ps.setString(1, bucket);
        ps.setString(2, key);
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
    if (!more) {
      keysWithWrites.remove(keyId(bucket, key));
    }
  }

  private static String keyId(String bucket, String key) {
    return bucket + '\0' + key;
  }

  /** Caller holds {@link #lock}; the row's deletion has committed. */
  private void dropBody(PendingUpload row) {
    pendingBytes.addAndGet(-row.size());
    FileStagedBody.deleteQuietly(row.dataFile());
  }

  private void deletePartFiles(String uploadId, List<UploadedPart> parts) {
    parts.forEach(p -> FileStagedBody.deleteQuietly(p.file()));
    try {
      Files.deleteIfExists(paths.partDir(uploadId));
    } catch (DirectoryNotEmptyException e) {
      log.warn("Upload queue: {} not empty after its upload ended", paths.partDir(uploadId));
    } catch (IOException e) {
      log.warn("Could not delete {}: {}", paths.partDir(uploadId), e.toString());
    }
  }
}
