package io.strata.cache.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.strata.cache.BlockKey;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The on-disk layout of a cache directory, written down once:
 *
 * <pre>
 * DIR/strata.db                 SQLite metadata (plus strata.db-wal, strata.db-shm)
 * DIR/strata.lock               held (FileLock) while a process has the cache open
 * DIR/clean-shutdown            present only between a clean close and the next open
 * DIR/blocks/ab/cd/HASH.N.blk   block N of one object version
 * DIR/tmp/HASH.N.blk.tmp        a fill in progress (deleted at startup)
 * </pre>
 *
 * <p>Fills in progress live in one flat directory, not beside their blocks, so the start-up sweep
 * of temp files lists that directory only, never the block tree (a million files take seconds to
 * walk). A rename from it into the tree stays atomic: both are on the cache's file system.
 *
 * <p>{@code HASH} is the hex SHA-256 of {@code bucket \0 key \0 etag}: keys hold any Unicode, slashes
 * and dots, and may be longer than a file name, so they never appear in paths. {@code ab/cd} are
 * the hash's first four hex digits, so no directory grows past a few thousand entries. NUL
 * separators keep ({@code "a", "b/c"}) and ({@code "a/b", "c"}) apart; S3 names contain no NUL.
 */
final class BlockPaths {

  /** SQLite database file. */
  static final String DATABASE = "strata.db";
  /** Held with an exclusive {@link java.nio.channels.FileLock}: one process per cache directory. */
  static final String LOCK = "strata.lock";
  /** Written by a clean close; its absence at open means the full reconciliation scan runs. */
  static final String CLEAN_SHUTDOWN = "clean-shutdown";
  /** Directory holding the hash fan-out of block files. */
  static final String BLOCKS_DIR = "blocks";
  /** Suffix of a committed block file. */
  static final String BLOCK_SUFFIX = ".blk";
  /** Directory holding the temp files of fills in progress. */
  static final String TEMP_DIR = "tmp";
  /** Suffix of a block being filled; renamed to the committed name when complete. */
  static final String TEMP_SUFFIX = ".tmp";
  /** Infix of a damaged database moved aside: {@code strata.db.corrupt-EPOCHMILLIS}. */
  static final String CORRUPT_INFIX = ".corrupt-";

  private static final HexFormat HEX = HexFormat.of();

  /** Versions whose directory a hit recently needed: the SHA-256 is most of a hit's Java time. */
  private static final int VERSION_DIRS_KEPT = 16_384;

  private final Path root;
  private final Path blocks;
  private final Path temps;
  /** Per object version, its directory and file-name stem ({@code blocks/ab/cd/HASH}). */
  private final Cache<VersionId, VersionDir> versionDirs =
      Caffeine.newBuilder().maximumSize(VERSION_DIRS_KEPT).build();

  private record VersionId(String bucket, String key, String etag) {}

  private record VersionDir(Path dir, String stem) {}

  BlockPaths(Path root) {
    this.root = requireNonNull(root, "root");
    this.blocks = root.resolve(BLOCKS_DIR);
    this.temps = root.resolve(TEMP_DIR);
  }

  Path root() {
    return root;
  }

  Path database() {
    return root.resolve(DATABASE);
  }

  Path lockFile() {
    return root.resolve(LOCK);
  }

  Path cleanShutdownMarker() {
    return root.resolve(CLEAN_SHUTDOWN);
  }

  Path blocksDir() {
    return blocks;
  }

  Path tempDir() {
    return temps;
  }

  /** The committed file of {@code key}. */
  Path block(BlockKey key) {
    VersionDir version = versionDirs.get(new VersionId(key.bucket(), key.key(), key.etag()), id -> {
      String hash = versionHash(id.bucket(), id.key(), id.etag());
      return new VersionDir(blocks.resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4)), hash);
    });
    return version.dir().resolve(version.stem() + '.' + key.index() + BLOCK_SUFFIX);
  }

  /** The file a fill of {@code key} writes before it is renamed to {@link #block}. */
  Path temp(BlockKey key) {
    return temps.resolve(block(key).getFileName() + TEMP_SUFFIX);
  }

  static boolean isBlockFile(Path file) {
    return file.getFileName().toString().endsWith(BLOCK_SUFFIX);
  }

  static boolean isTempFile(Path file) {
    return file.getFileName().toString().endsWith(TEMP_SUFFIX);
  }

  /** Hex SHA-256 of {@code bucket \0 key \0 etag}. */
  static String versionHash(String bucket, String key, String etag) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
    return HEX.formatHex(sha256.digest((bucket + '\0' + key + '\0' + etag).getBytes(UTF_8)));
  }
}
