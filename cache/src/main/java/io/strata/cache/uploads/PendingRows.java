package io.strata.cache.uploads;

import io.strata.cache.common.FlatJson;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * SQL over {@code pending_uploads}, called inside {@link QueueDatabase} work with the queue's lock
 * held. The one rule with judgement in it, which base a new write gets, is {@link #queue}.
 */
final class PendingRows {

  private static final String COLUMNS =
      "id, bucket, key, operation, local_path, size, etag, checksum_algorithm, checksum_value,"
          + " content_type, user_metadata, part_sizes, base_etag, state, created_at, retry_count,"
          + " next_attempt_at, last_error, conflict_etag";

  /** Rows that no older row of the same key precedes: the head of each key's queue. */
  private static final String IS_HEAD =
      " NOT EXISTS (SELECT 1 FROM pending_uploads o"
          + " WHERE o.bucket = p.bucket AND o.key = p.key AND o.id < p.id)";

  /** A write to queue. {@code localPath} is relative to the queue directory; null for a DELETE. */
  record NewWrite(
      String bucket,
      String key,
      boolean delete,
      String localPath,
      long size,
      String etag,
      String checksumAlgorithm,
      String checksumValue,
      String contentType,
      Map<String, String> userMetadata,
      List<Long> partSizes,
      String callerBase) {

    static NewWrite put(PutRequest put, String localPath) {
      return new NewWrite(put.bucket(), put.key(), false, localPath, put.body().size(), put.etag(),
          put.checksumAlgorithm(), put.checksumValue(), put.contentType(), put.userMetadata(),
          put.partSizes(), put.baseEtag());
    }

    static NewWrite delete(String bucket, String key, String baseEtag) {
      return new NewWrite(bucket, key, true, null, 0, null, null, null, null, Map.of(), List.of(),
          baseEtag);
    }
  }

  /** The queued row, and the row it superseded (deleted; its file is the caller's to delete). */
  record Queued(PendingUpload row, Optional<PendingUpload> superseded) {

    long supersededSize() {
      return superseded.map(PendingUpload::size).orElse(0L);
    }
  }

  private final QueuePaths paths;

  PendingRows(QueuePaths paths) {
    this.paths = paths;
  }

  /**
   * Inserts {@code w} behind the key's queued writes. Its base, the upstream version it must find
   * when flushed, follows from the newest queued write to the key:
   *
   * <ul>
   *   <li>PENDING: not started, so it is superseded (deleted) and the new write inherits its base:
   *       the upstream has not moved since.
   *   <li>UPLOADING: it will have landed when the new write is sent, so the new base is its
   *       result: its ETag, or null after a DELETE.
   *   <li>CONFLICT: parked; the new write waits behind it with the same base (an Overwrite
   *       resolution moves it onto the resolved write's result, see {@link #rebaseAfter}).
   *   <li>none: the caller's base (what the client saw upstream or in the cache).
   * </ul>
   */
  Queued queue(Connection c, NewWrite w, Instant now) throws SQLException {
    Optional<PendingUpload> newest = newest(c, w.bucket(), w.key());
    Optional<PendingUpload> superseded = Optional.empty();
    String base = w.callerBase();
    if (newest.isPresent()) {
      PendingUpload prior = newest.get();
      switch (prior.state()) {
        case PENDING -> {
          superseded = newest;
          base = prior.baseEtag();
          delete(c, prior.id());
        }
        case UPLOADING -> base = resultOf(prior);
        case CONFLICT -> base = prior.baseEtag();
      }
    }
    Sql.update(c,
        "INSERT INTO pending_uploads (bucket, key, operation, local_path, size, etag,"
            + " checksum_algorithm, checksum_value, content_type, user_metadata, part_sizes,"
            + " base_etag, state, created_at, retry_count, next_attempt_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, 0, ?)",
        w.bucket(), w.key(), operation(w.delete(), base).name(), w.localPath(), w.size(), w.etag(),
        w.checksumAlgorithm(), w.checksumValue(), w.contentType(),
        FlatJson.encode(w.userMetadata()), encodeSizes(w.partSizes()), base,
        now.toEpochMilli(), now.toEpochMilli());
    long id = Sql.longValue(c, "SELECT last_insert_rowid()");
    return new Queued(byId(c, id).orElseThrow(), superseded);
  }

  /**
   * After {@code resolved} was set to be overwritten: the write queued behind it (at most one, as
   * a newer one supersedes it) replaces {@code resolved}'s result, not the old base.
   */
  void rebaseAfter(Connection c, PendingUpload resolved) throws SQLException {
    String base = resultOf(resolved);
    for (PendingUpload next : list(c,
        "WHERE bucket = ? AND key = ? AND id > ? AND state = 'PENDING'",
        resolved.bucket(), resolved.key(), resolved.id())) {
      Sql.update(c, "UPDATE pending_uploads SET base_etag = ?, operation = ? WHERE id = ?",
          base, operation(next.isDelete(), base).name(), next.id());
    }
  }

  static UploadOperation operation(boolean delete, String base) {
    if (delete) {
      return UploadOperation.DELETE;
    }
    return base == null ? UploadOperation.CREATE : UploadOperation.UPDATE;
  }

  /** The upstream version once {@code write} has landed. */
  private static String resultOf(PendingUpload write) {
    return write.isDelete() ? null : write.etag();
  }

  Optional<PendingUpload> byId(Connection c, long id) throws SQLException {
    return first(c, "WHERE id = ?", id);
  }

  Optional<PendingUpload> newest(Connection c, String bucket, String key) throws SQLException {
    return first(c, "WHERE bucket = ? AND key = ? ORDER BY id DESC LIMIT 1", bucket, key);
  }

  /** Newest row per key under {@code prefix}; ORDER BY key is BINARY, i.e. UTF-8 byte order. */
  List<PendingUpload> latestUnder(Connection c, String bucket, String prefix) throws SQLException {
    return list(c,
        "WHERE bucket = ? AND " + Sql.startsWith("key")
            + " AND NOT EXISTS (SELECT 1 FROM pending_uploads n"
            + " WHERE n.bucket = p.bucket AND n.key = p.key AND n.id > p.id)"
            + " ORDER BY key",
        bucket, prefix, prefix, prefix);
  }

  List<PendingUpload> ready(Connection c, Instant now, int limit) throws SQLException {
    return list(c,
        "WHERE state = 'PENDING' AND next_attempt_at <= ? AND" + IS_HEAD + " ORDER BY id LIMIT ?",
        now.toEpochMilli(), limit);
  }

  /**
   * Only heads of their key count: a pending write behind an uploading one is due but not ready,
   * and a flusher sleeping until its time would wake in a loop.
   */
  Optional<Instant> nextDue(Connection c) throws SQLException {
    // ORDER BY + LIMIT rather than min(): no row means no result, not a NULL.
    return Sql.first(c,
        "SELECT next_attempt_at FROM pending_uploads p WHERE state = 'PENDING' AND" + IS_HEAD
            + " ORDER BY next_attempt_at LIMIT 1",
        rs -> Instant.ofEpochMilli(rs.getLong(1)));
  }

  void delete(Connection c, long id) throws SQLException {
    Sql.update(c, "DELETE FROM pending_uploads WHERE id = ?", id);
  }

  /** Rows matching {@code where} (which may end in ORDER BY/LIMIT); the table is aliased {@code p}. */
  List<PendingUpload> list(Connection c, String where, Object... args) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS + " FROM pending_uploads p " + where, this::map, args);
  }

  private Optional<PendingUpload> first(Connection c, String where, Object... args)
      throws SQLException {
    return Sql.first(c, "SELECT " + COLUMNS + " FROM pending_uploads p " + where, this::map, args);
  }

  private PendingUpload map(ResultSet rs) throws SQLException {
    return new PendingUpload(
        rs.getLong("id"),
        rs.getString("bucket"),
        rs.getString("key"),
        UploadOperation.valueOf(rs.getString("operation")),
        paths.resolve(rs.getString("local_path")),
        rs.getLong("size"),
        rs.getString("etag"),
        rs.getString("checksum_algorithm"),
        rs.getString("checksum_value"),
        rs.getString("content_type"),
        Map.copyOf(FlatJson.decode(rs.getString("user_metadata"))),
        decodeSizes(rs.getString("part_sizes")),
        rs.getString("base_etag"),
        UploadState.valueOf(rs.getString("state")),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        rs.getInt("retry_count"),
        Instant.ofEpochMilli(rs.getLong("next_attempt_at")),
        rs.getString("last_error"),
        rs.getString("conflict_etag"));
  }

  static String encodeSizes(List<Long> sizes) {
    return sizes.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  static List<Long> decodeSizes(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(text.split(",")).map(Long::valueOf).toList();
  }
}
