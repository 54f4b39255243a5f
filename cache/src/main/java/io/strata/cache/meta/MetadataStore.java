package io.strata.cache.meta;

import io.strata.cache.common.FlatJson;
import static java.util.Objects.requireNonNull;

import io.strata.cache.BlockKey;
import io.strata.cache.CachedObject;
import io.strata.cache.ListedObject;
import io.strata.cache.ObjectVersion;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The cache's metadata in SQLite: objects, committed blocks and listings. Internal to the cache
 * module (public only so the {@code store} package can use it).
 *
 * <p>Concurrency: one connection, guarded by {@link #lock}; every method takes the lock for its
 * whole transaction, so methods are atomic with respect to each other. A single connection is
 * enough: SQLite serializes writers anyway, and the hot read path (block lookups) is served from
 * memory by the caller. Callers may hold their own lock while calling in, never the reverse.
 *
 * <p>Errors: a failing statement is rethrown as {@link UncheckedIOException} (with the
 * {@link SQLException} as cause of its cause) because the cache API's metadata methods do not
 * declare checked exceptions.
 */
public final class MetadataStore implements Closeable {

  /**
   * WAL + NORMAL: ~55k autocommit inserts/s (vs ~7k with FULL); a power loss may lose the last
   * commits, which a cache tolerates (the startup scan drops blocks without rows).
   */
  private static final String URL_PARAMETERS =
      "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000&foreign_keys=true";

  private final ReentrantLock lock = new ReentrantLock();

  /** Guarded by {@link #lock}. */
  private final Connection connection;

  private MetadataStore(Connection connection) {
    this.connection = connection;
  }

  /**
   * Opens (creating or migrating) the database at {@code file}. With {@code check}, also runs
   * {@code PRAGMA quick_check} (after an unclean stop) and fails if it finds damage.
   */
  public static MetadataStore open(Path file, boolean check) throws IOException {
    requireNonNull(file, "file");
    Connection connection = null;
    try {
      connection = DriverManager.getConnection("jdbc:sqlite:" + file + URL_PARAMETERS);
      if (check) {
        quickCheck(connection);
      }
      Schema.migrate(connection);
      return new MetadataStore(connection);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw new IOException("cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code e} (from {@link #open}) says the file is damaged or not a database at all. */
  public static boolean isCorruption(IOException e) {
    if (!(e.getCause() instanceof SQLException sql)) {
      return false;
    }
    int primary = sql.getErrorCode() & 0xff;
    return primary == SQLiteErrorCode.SQLITE_CORRUPT.code
        || primary == SQLiteErrorCode.SQLITE_NOTADB.code;
  }

  private static void quickCheck(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
      String result = rs.next() ? rs.getString(1) : "no result";
      if (!"ok".equals(result)) {
        throw new SQLiteException("quick_check: " + result, SQLiteErrorCode.SQLITE_CORRUPT);
      }
    }
  }

  // ---- blocks ----

  /** Receives the committed blocks, version by version (see {@link #forEachBlock}). */
  public interface BlockVisitor {

    /** The blocks that follow, up to the next call, are of {@code bucket/key@etag}. */
    void version(String bucket, String key, String etag);

    /** A block of the current version; {@code crc32c} as {@link java.util.zip.CRC32C#getValue()}. */
    void block(int index, long length, long crc32c, long lastAccessMillis, long accessCount);
  }

  /**
   * Every committed block, in key order (bucket, key, ETag, index), grouped by version.
   *
   * <p>Built for a million rows at start-up. Both queries walk the primary key in its order, so
   * SQLite neither sorts nor looks rows up (ordering by {@code last_access} through its index
   * costs a random primary-key lookup per row: ten seconds at that size). The names are read
   * once per version, not per block: decoding three strings per row through JDBC was the largest
   * share of the load's CPU after the scan itself, and the visitor keeps one copy per version.
   */
  public void forEachBlock(BlockVisitor visitor) {
    requireNonNull(visitor, "visitor");
    transaction("load blocks", c -> {
      List<Version> versions = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(
              "SELECT DISTINCT bucket, key, etag FROM blocks ORDER BY bucket, key, etag")) {
        while (rs.next()) {
          versions.add(new Version(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT idx, length, crc32c, last_access, access_count FROM blocks"
              + " WHERE bucket = ? AND key = ? AND etag = ? ORDER BY idx")) {
        for (Version v : versions) {
          ps.setString(1, v.bucket());
          ps.setString(2, v.key());
          ps.setString(3, v.etag());
          visitor.version(v.bucket(), v.key(), v.etag());
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              visitor.block(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
            }
          }
        }
      }
      return null;
    });
  }

  /** All committed blocks, in key order (bucket, key, ETag, index); for tests and tools. */
  public List<BlockRow> blocks() {
    List<BlockRow> rows = new ArrayList<>();
    forEachBlock(new BlockVisitor() {
      private String bucket;
      private String key;
      private String etag;

      @Override
      public void version(String bucket, String key, String etag) {
        this.bucket = bucket;
        this.key = key;
        this.etag = etag;
      }

      @Override
      public void block(int index, long length, long crc32c, long lastAccessMillis, long accessCount) {
        rows.add(new BlockRow(new BlockKey(bucket, key, etag, index), length, crc32c,
            lastAccessMillis, accessCount));
      }
    });
    return rows;
  }

  /** Deletes every block row (the block layout changed); returns how many there were. */
  public int deleteAllBlocks() {
    return call("delete all blocks", c -> {
      try (Statement s = c.createStatement()) {
        return s.executeUpdate("DELETE FROM blocks");
      }
    });
  }

  /**
   * Records a committed block, unless the object is known at another version: a fill that raced
   * with {@link #recordObject} for a newer ETag must not resurrect the old version's blocks. The
   * check and the insert are one statement, so they are atomic with {@code recordObject}.
   *
   * @return whether the row was recorded
   */
  public boolean insertBlock(BlockRow row) {
    requireNonNull(row, "row");
    BlockKey k = row.key();
    return call("insert block", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO blocks (bucket, key, etag, idx, length, crc32c, created_at, last_access,"
              + " access_count) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?"
              + " WHERE NOT EXISTS (SELECT 1 FROM objects WHERE bucket = ? AND key = ? AND etag <> ?)"
              + " ON CONFLICT (bucket, key, etag, idx) DO UPDATE SET length = excluded.length,"
              + " crc32c = excluded.crc32c, created_at = excluded.created_at,"
              + " last_access = excluded.last_access, access_count = excluded.access_count")) {
        ps.setString(1, k.bucket());
        ps.setString(2, k.key());
        ps.setString(3, k.etag());
        ps.setInt(4, k.index());
        ps.setLong(5, row.length());
        ps.setLong(6, row.crc32c());
        ps.setLong(7, row.lastAccessMillis());
        ps.setLong(8, row.lastAccessMillis());
        ps.setLong(9, row.accessCount());
        ps.setString(10, k.bucket());
        ps.setString(11, k.key());
        ps.setString(12, k.etag());
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** Deletes the rows of {@code keys} in one transaction (absent rows are ignored). */
  public void deleteBlocks(Collection<BlockKey> keys) {
    if (keys.isEmpty()) {
      return;
    }
    transaction("delete blocks", c -> {
      deleteBlockRows(c, keys);
      return null;
    });
  }

  /** Persists accumulated reads: block access times and counts, and per-object hit counts. */
  public void recordAccesses(Map<BlockKey, BlockAccess> accesses) {
    if (accesses.isEmpty()) {
      return;
    }
    Map<Version, BlockAccess> perVersion = new HashMap<>();
    accesses.forEach((k, a) ->
        perVersion.merge(new Version(k.bucket(), k.key(), k.etag()), a, BlockAccess::merge));
    transaction("record accesses", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE blocks SET last_access = max(last_access, ?), access_count = access_count + ?"
              + " WHERE bucket = ? AND key = ? AND etag = ? AND idx = ?")) {
        for (Map.Entry<BlockKey, BlockAccess> e : accesses.entrySet()) {
          ps.setLong(1, e.getValue().lastAccessMillis());
          ps.setLong(2, e.getValue().hits());
          setBlockKey(ps, 3, e.getKey());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE objects SET access_count = access_count + ?,"
              + " last_access = max(coalesce(last_access, 0), ?)"
              + " WHERE bucket = ? AND key = ? AND etag = ?")) {
        for (Map.Entry<Version, BlockAccess> e : perVersion.entrySet()) {
          ps.setLong(1, e.getValue().hits());
          ps.setLong(2, e.getValue().lastAccessMillis());
          ps.setString(3, e.getKey().bucket());
          ps.setString(4, e.getKey().key());
          ps.setString(5, e.getKey().etag());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  // ---- objects ----

  public Optional<ObjectVersion> object(String bucket, String key) {
    return call("read object", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT etag, size, last_modified, content_type, user_metadata, validated_at"
              + " FROM objects WHERE bucket = ? AND key = ?")) {
        ps.setString(1, bucket);
        ps.setString(2, key);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new ObjectVersion(bucket, key, rs.getString(1), rs.getLong(2),
              Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4), FlatJson.decode(rs.getString(5)),
              Instant.ofEpochMilli(rs.getLong(6))));
        }
      }
    });
  }

  /**
   * Upserts {@code version} (and its listing row) and deletes the block rows of every other
   * version of the object, in one transaction. Instants are stored in milliseconds.
   *
   * @return the deleted blocks, whose files the caller deletes
   */
  public List<BlockKey> recordObject(ObjectVersion version, long nowMillis) {
    requireNonNull(version, "version");
    return transaction("record object", c -> {
      List<BlockKey> stale = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT etag, idx FROM blocks WHERE bucket = ? AND key = ? AND etag <> ?")) {
        ps.setString(1, version.bucket());
        ps.setString(2, version.key());
        ps.setString(3, version.etag());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            stale.add(new BlockKey(version.bucket(), version.key(), rs.getString(1), rs.getInt(2)));
          }
        }
      }
      deleteBlockRows(c, stale);
      ParquetCatalog.deleteOtherVersions(c, version.bucket(), version.key(), version.etag());
      PartBoundaries.deleteOtherVersions(c, version.bucket(), version.key(), version.etag());
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO objects (bucket, key, etag, size, last_modified, content_type,"
              + " user_metadata, fetched_at, validated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
              + " ON CONFLICT (bucket, key) DO UPDATE SET etag = excluded.etag,"
              + " size = excluded.size, last_modified = excluded.last_modified,"
              + " content_type = excluded.content_type, user_metadata = excluded.user_metadata,"
              + " validated_at = excluded.validated_at,"
              // A new version starts its own history; the same version keeps it.
              + " fetched_at = CASE WHEN etag = excluded.etag THEN fetched_at"
              + "   ELSE excluded.fetched_at END,"
              + " access_count = CASE WHEN etag = excluded.etag THEN access_count ELSE 0 END,"
              + " last_access = CASE WHEN etag = excluded.etag THEN last_access ELSE NULL END")) {
        ps.setString(1, version.bucket());
        ps.setString(2, version.key());
        ps.setString(3, version.etag());
        ps.setLong(4, version.size());
        ps.setLong(5, version.lastModified().toEpochMilli());
        ps.setString(6, version.contentType());
        ps.setString(7, FlatJson.encode(version.userMetadata()));
        ps.setLong(8, nowMillis);
        ps.setLong(9, version.validatedAt().toEpochMilli());
        ps.executeUpdate();
      }
      ListedObject listed = new ListedObject(
          version.key(), version.etag(), version.size(), version.lastModified());
      upsertListed(c, version.bucket(), List.of(listed), nowMillis);
      return stale;
    });
  }

  /** @return whether the object was known */
  public boolean markValidated(String bucket, String key, Instant when) {
    return call("mark validated", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE objects SET validated_at = ? WHERE bucket = ? AND key = ?")) {
        ps.setLong(1, when.toEpochMilli());
        ps.setString(2, bucket);
        ps.setString(3, key);
        return ps.executeUpdate() > 0;
      }
    });
  }

  /**
   * Deletes the object, the blocks of all its versions and its listing row, in one transaction.
   *
   * @return the deleted blocks, whose files the caller deletes
   */
  public List<BlockKey> forgetObject(String bucket, String key) {
    return transaction("forget object", c -> {
      List<BlockKey> blocks = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT etag, idx FROM blocks WHERE bucket = ? AND key = ?")) {
        ps.setString(1, bucket);
        ps.setString(2, key);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            blocks.add(new BlockKey(bucket, key, rs.getString(1), rs.getInt(2)));
          }
        }
      }
      deleteBlockRows(c, blocks);
      ParquetCatalog.deleteOtherVersions(c, bucket, key, null);
      PartBoundaries.deleteOtherVersions(c, bucket, key, null);
      for (String table : List.of("objects", "listed_objects")) {
        try (PreparedStatement ps = c.prepareStatement(
            "DELETE FROM " + table + " WHERE bucket = ? AND key = ?")) {
          ps.setString(1, bucket);
          ps.setString(2, key);
          ps.executeUpdate();
        }
      }
      return blocks;
    });
  }

  /** Objects by bucket and key, optionally one bucket and a key prefix, after a key, at most {@code limit}. */
  public List<CachedObject> objects(String bucket, String prefix, String after, int limit) {
    return call("list objects", c -> {
      StringBuilder sql = new StringBuilder(
          "SELECT bucket, key, etag, size, last_modified, content_type, user_metadata, validated_at, last_access"
              + " FROM objects WHERE 1 = 1");
      List<String> args = new ArrayList<>();
      if (bucket != null) {
        sql.append(" AND bucket = ?");
        args.add(bucket);
      }
      if (prefix != null && !prefix.isEmpty()) {
        // substr, not LIKE: keys may hold % and _
        sql.append(" AND substr(key, 1, ?) = ?");
      }
      if (after != null) {
        sql.append(" AND key > ?");
      }
      sql.append(" ORDER BY bucket, key LIMIT ?");
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int i = 1;
        for (String a : args) {
          ps.setString(i++, a);
        }
        if (prefix != null && !prefix.isEmpty()) {
          ps.setInt(i++, prefix.length());
          ps.setString(i++, prefix);
        }
        if (after != null) {
          ps.setString(i++, after);
        }
        ps.setInt(i, limit);
        List<CachedObject> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ObjectVersion version = versionRow(rs);
            long lastAccess = rs.getLong(9);
            out.add(new CachedObject(version, rs.wasNull() ? null : Instant.ofEpochMilli(lastAccess)));
          }
        }
        return out;
      }
    });
  }

  /**
   * An object version from columns 1-8: bucket, key, etag, size, last_modified, content_type,
   * user_metadata, validated_at.
   */
  private static ObjectVersion versionRow(ResultSet rs) throws SQLException {
    return new ObjectVersion(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
        Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6), FlatJson.decode(rs.getString(7)),
        Instant.ofEpochMilli(rs.getLong(8)));
  }

  /** Objects read at or after {@code since}, most recently read first, at most {@code limit}. */
  public List<ObjectVersion> objectsReadSince(Instant since, int limit) {
    return call("read recent objects", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT bucket, key, etag, size, last_modified, content_type, user_metadata, validated_at"
              + " FROM objects WHERE last_access >= ? ORDER BY last_access DESC LIMIT ?")) {
        ps.setLong(1, since.toEpochMilli());
        ps.setInt(2, limit);
        List<ObjectVersion> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(versionRow(rs));
          }
        }
        return out;
      }
    });
  }

  public long objectCount() {
    return call("count objects", c -> {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM objects")) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  // ---- settings ----

  /** A stored setting, if set. */
  public Optional<String> setting(String name) {
    return call("read setting", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  public void putSetting(String name, String value) {
    call("write setting", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO settings (name, value) VALUES (?, ?)"
              + " ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
        ps.setString(1, name);
        ps.setString(2, value);
        return ps.executeUpdate();
      }
    });
  }

  // ---- listings ----

  /**
   * Upserts {@code objects}; when {@code complete}, also deletes the listing rows under
   * {@code prefix} that are not among them. One transaction.
   *
   * @return the keys whose rows were deleted: objects the upstream no longer has
   */
  public List<String> recordListing(
      String bucket, String prefix, List<ListedObject> objects, boolean complete, long nowMillis) {
    return transaction("record listing", c -> {
      upsertListed(c, bucket, objects, nowMillis);
      List<String> gone = new ArrayList<>();
      if (complete) {
        Set<String> listed = new HashSet<>();
        objects.forEach(o -> listed.add(o.key()));
        try (PreparedStatement ps =
                prefixQuery(c, "SELECT key FROM listed_objects", bucket, prefix, null, -1);
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (!listed.contains(rs.getString(1))) {
              gone.add(rs.getString(1));
            }
          }
        }
        try (PreparedStatement ps = c.prepareStatement(
            "DELETE FROM listed_objects WHERE bucket = ? AND key = ?")) {
          for (String key : gone) {
            ps.setString(1, bucket);
            ps.setString(2, key);
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      return complete ? gone : List.<String>of();
    });
  }

  /** Listing rows under {@code prefix} after {@code startAfter}, in UTF-8 byte order of keys. */
  public List<ListedObject> knownObjects(String bucket, String prefix, String startAfter, int limit) {
    return call("list objects", c -> {
      List<ListedObject> result = new ArrayList<>();
      try (PreparedStatement ps = prefixQuery(c,
              "SELECT key, etag, size, last_modified FROM listed_objects",
              bucket, prefix, startAfter, limit);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          result.add(new ListedObject(
              rs.getString(1), rs.getString(2), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4))));
        }
      }
      return result;
    });
  }

  public List<String> knownBuckets() {
    return call("list buckets", c -> {
      List<String> buckets = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(
              "SELECT bucket FROM objects UNION SELECT bucket FROM listed_objects ORDER BY bucket")) {
        while (rs.next()) {
          buckets.add(rs.getString(1));
        }
      }
      return buckets;
    });
  }

  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IOException("cannot close the metadata database", e);
    } finally {
      lock.unlock();
    }
  }

  // ---- helpers ----

  /** {@code select} restricted to {@code bucket}, {@code prefix} and {@code startAfter}, by key. */
  private static PreparedStatement prefixQuery(
      Connection c, String select, String bucket, String prefix, String startAfter, int limit)
      throws SQLException {
    String from = prefix == null ? "" : prefix;
    String end = KeyRange.prefixEnd(from);
    StringBuilder sql = new StringBuilder(select).append(" WHERE bucket = ? AND key >= ?");
    if (end != null) {
      sql.append(" AND key < ?");
    }
    if (startAfter != null) {
      sql.append(" AND key > ?");
    }
    sql.append(" ORDER BY key");
    if (limit >= 0) {
      sql.append(" LIMIT ?");
    }
    PreparedStatement ps = c.prepareStatement(sql.toString());
    int i = 1;
    ps.setString(i++, bucket);
    ps.setString(i++, from);
    if (end != null) {
      ps.setString(i++, end);
    }
    if (startAfter != null) {
      ps.setString(i++, startAfter);
    }
    if (limit >= 0) {
      ps.setInt(i, limit);
    }
    return ps;
  }

  private static void upsertListed(
      Connection c, String bucket, List<ListedObject> objects, long nowMillis) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO listed_objects (bucket, key, etag, size, last_modified, seen_at)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (bucket, key) DO UPDATE SET"
            + " etag = excluded.etag, size = excluded.size,"
            + " last_modified = excluded.last_modified, seen_at = excluded.seen_at")) {
      for (ListedObject o : objects) {
        ps.setString(1, bucket);
        ps.setString(2, o.key());
        ps.setString(3, o.etag());
        ps.setLong(4, o.size());
        ps.setLong(5, o.lastModified().toEpochMilli());
        ps.setLong(6, nowMillis);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void deleteBlockRows(Connection c, Collection<BlockKey> keys) throws SQLException {
    if (keys.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM blocks WHERE bucket = ? AND key = ? AND etag = ? AND idx = ?")) {
      for (BlockKey k : keys) {
        setBlockKey(ps, 1, k);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void setBlockKey(PreparedStatement ps, int first, BlockKey k) throws SQLException {
    ps.setString(first, k.bucket());
    ps.setString(first + 1, k.key());
    ps.setString(first + 2, k.etag());
    ps.setInt(first + 3, k.index());
  }

  private record Version(String bucket, String key, String etag) {}

  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs {@code work} in autocommit mode (a single statement, or reads). */
  <T> T call(String what, SqlWork<T> work) {
    lock.lock();
    try {
      return work.run(connection);
    } catch (SQLException e) {
      throw failure(what, e);
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code work} in one transaction, rolled back if it throws. */
  <T> T transaction(String what, SqlWork<T> work) {
    lock.lock();
    try {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failure(what, e);
    } finally {
      lock.unlock();
    }
  }

  private static UncheckedIOException failure(String what, SQLException e) {
    return new UncheckedIOException(
        new IOException("SQLite: cannot " + what + ": " + e.getMessage(), e));
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Already failing; the original error is the one to report.
    }
  }
}
