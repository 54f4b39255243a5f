package io.strata.bench.metadata;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.strata.cache.BlockCache;
import io.strata.cache.BlockKey;
import io.strata.cache.BlockLayout;
import io.strata.cache.CacheConfig;
import io.strata.cache.ObjectVersion;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * Makes a cache directory that a closed Strata could have left behind holding {@code blocks}
 * cached blocks, fast enough for a million.
 *
 * <p>What is real: the schema, the block-layout setting and the clean-shutdown marker come from
 * opening and closing the cache itself; the object rows are written through
 * {@link BlockCache#recordObject}; block rows carry realistic keys, lengths cut by
 * {@link BlockLayout}, spread-out access times and counts. What is synthetic: block rows are
 * inserted with one batched JDBC transaction (through the API each block is a 1 MiB write, a
 * rename and an autocommit insert: a terabyte and an hour for a million), and the block files,
 * when asked for, are sparse files of the right length whose recorded CRC32C is that of zeros,
 * so reads verify and serve zeros without a terabyte of disk.
 *
 * <p>The file path formula repeats the cache's private {@code BlockPaths}; the smoke test opens
 * generated blocks through the cache, so a drift fails there.
 */
public final class CacheDirGenerator {

  /** The cache's default block size (strata.cache.block-size). */
  public static final long BLOCK_SIZE = 1 << 20;

  /** Caps far above any generated size: no eviction may run while measuring. */
  public static final long NO_CAP = 1L << 50;

  /** Whole blocks per object plus the tail: objects of 100 MiB, Parquet files of a few wells. */
  private static final long OBJECT_SIZE = 100L * BLOCK_SIZE + 12_345;

  /** Projects (first key segment) the objects are spread over. */
  private static final int PROJECTS = 50;

  /** Access times spread over the 30 days before now. */
  private static final long ACCESS_SPREAD_MILLIS = 30L * 24 * 3600 * 1000;

  private static final String BUCKET = "wells";
  private static final HexFormat HEX = HexFormat.of();

  private final Path dir;
  private final boolean files;
  private final Random random = new Random(42);

  /** @param files whether to create the block files too (sparse), or only the metadata */
  public CacheDirGenerator(Path dir, boolean files) {
    this.dir = dir;
    this.files = files;
  }

  /** The configuration the generated directory is meant to be opened with. */
  public static CacheConfig config(Path dir) {
    return new CacheConfig(dir, NO_CAP, BLOCK_SIZE, CacheConfig.DEFAULT_MIN_TAIL_SIZE,
        Clock.systemUTC()).withProjectCap(NO_CAP, CacheConfig.DEFAULT_PROJECT_DEPTH);
  }

  /** The object key of object {@code i}. */
  static String objectKey(int i) {
    return String.format("project-%02d/well-%07d.parquet", i % PROJECTS, i);
  }

  /** The ETag of object {@code i}: S3's quoted hex MD5, here a fixed function of {@code i}. */
  static String etag(int i) {
    return '"' + HEX.formatHex(sha256("etag-" + i), 0, 16) + '"';
  }

  static BlockLayout layout() {
    return BlockLayout.of(OBJECT_SIZE, BLOCK_SIZE, CacheConfig.DEFAULT_MIN_TAIL_SIZE);
  }

  /** Key of the {@code n}-th generated block (0-based): objects filled in order. */
  public static BlockKey blockKey(long n) {
    int perObject = layout().blockCount();
    int object = Math.toIntExact(n / perObject);
    return new BlockKey(BUCKET, objectKey(object), etag(object), (int) (n % perObject));
  }

  /** Writes {@code blocks} blocks into the (new or empty) directory. @return the objects written */
  public int generate(long blocks) throws IOException {
    if (blocks < 0) {
      throw new IllegalArgumentException("blocks: " + blocks + " (expected: >= 0)");
    }
    BlockLayout layout = layout();
    int perObject = layout.blockCount();
    int objects = Math.toIntExact((blocks + perObject - 1) / perObject);
    long now = System.currentTimeMillis();
    // The cache creates its schema and layout setting; closing it writes the clean marker.
    try (BlockCache cache = BlockCache.open(config(dir))) {
      for (int i = 0; i < objects; i++) {
        cache.recordObject(new ObjectVersion(BUCKET, objectKey(i), etag(i), OBJECT_SIZE,
            Instant.ofEpochMilli(now - ACCESS_SPREAD_MILLIS), "application/vnd.apache.parquet",
            Map.of(), Instant.ofEpochMilli(now)));
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("strata.db"))) {
      insertBlocks(c, blocks, layout, now);
      try (Statement s = c.createStatement()) {
        // A cache that has been running has its WAL checkpointed; start from that state.
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
    } catch (SQLException e) {
      throw new IOException("cannot write block rows to " + dir + ": " + e.getMessage(), e);
    }
    return objects;
  }

  private void insertBlocks(Connection c, long blocks, BlockLayout layout, long now)
      throws SQLException, IOException {
    int perObject = layout.blockCount();
    long fullCrc = zeroCrc(layout.length(0));
    long tailCrc = zeroCrc(layout.length(layout.tailIndex()));
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO blocks (bucket, key, etag, idx, length, crc32c, created_at, last_access,"
            + " access_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (long n = 0; n < blocks; n++) {
        int object = Math.toIntExact(n / perObject);
        int index = (int) (n % perObject);
        boolean tail = index == layout.tailIndex();
        long length = layout.length(index);
        long lastAccess = now - (long) (random.nextDouble() * ACCESS_SPREAD_MILLIS);
        ps.setString(1, BUCKET);
        ps.setString(2, objectKey(object));
        ps.setString(3, etag(object));
        ps.setInt(4, index);
        ps.setLong(5, length);
        ps.setLong(6, tail ? tailCrc : fullCrc);
        ps.setLong(7, lastAccess - random.nextInt(3_600_000));
        ps.setLong(8, lastAccess);
        ps.setLong(9, random.nextInt(20));
        ps.addBatch();
        if (files) {
          createSparse(object, index, length);
        }
        if (n % 10_000 == 9_999) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    }
    c.commit();
    c.setAutoCommit(true);
  }

  /** A file of {@code length} zero bytes that takes no data blocks on disk. */
  private void createSparse(int object, int index, long length) throws IOException {
    String hash = HEX.formatHex(sha256(BUCKET + '\0' + objectKey(object) + '\0' + etag(object)));
    Path file = dir.resolve("blocks").resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4))
        .resolve(hash + '.' + index + ".blk");
    Files.createDirectories(file.getParent());
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(length);
    }
  }

  private static long zeroCrc(long length) {
    CRC32C crc = new CRC32C();
    byte[] zeros = new byte[64 * 1024];
    for (long left = length; left > 0; left -= zeros.length) {
      crc.update(zeros, 0, (int) Math.min(left, zeros.length));
    }
    return crc.getValue();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
