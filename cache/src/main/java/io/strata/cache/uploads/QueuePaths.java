package io.strata.cache.uploads;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The on-disk layout of the upload queue, written down once:
 *
 * <pre>
 * DIR/uploads.db                     SQLite queue (plus uploads.db-wal, uploads.db-shm)
 * DIR/queue.lock                     held (FileLock) while a process has the queue open
 * DIR/staging/UUID.tmp               a request body being received (deleted at open)
 * DIR/data/UUID.body                 a committed body: a queued PUT, or one about to be queued
 * DIR/parts/UPLOADID/N.UUID.part     part N of an open multipart upload
 * </pre>
 *
 * <p>Files are named by random UUIDs, never by key: keys hold any Unicode and may be longer than a
 * file name. A replaced part gets a new name (not {@code N.part} again) so the row that points to
 * the old file stays true until the transaction that replaces it commits. Rows store paths
 * relative to {@code DIR}, so the directory may be moved as a whole.
 */
final class QueuePaths {

  /** SQLite database file. */
  static final String DATABASE = "uploads.db";
  /** Held with an exclusive {@link java.nio.channels.FileLock}: one process per queue directory. */
  static final String LOCK = "queue.lock";
  /** Directory of bodies being received. */
  static final String STAGING_DIR = "staging";
  /** Directory of committed bodies. */
  static final String DATA_DIR = "data";
  /** Directory of multipart parts, one subdirectory per upload id. */
  static final String PARTS_DIR = "parts";
  /** Suffix of a body being received; nothing refers to it, so recovery deletes it. */
  static final String TEMP_SUFFIX = ".tmp";
  /** Suffix of a committed body in {@link #DATA_DIR}. */
  static final String BODY_SUFFIX = ".body";
  /** Suffix of a stored part. */
  static final String PART_SUFFIX = ".part";

  private final Path root;

  QueuePaths(Path root) {
    this.root = requireNonNull(root, "root").toAbsolutePath().normalize();
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

  Path stagingDir() {
    return root.resolve(STAGING_DIR);
  }

  Path dataDir() {
    return root.resolve(DATA_DIR);
  }

  Path partsDir() {
    return root.resolve(PARTS_DIR);
  }

  void createDirectories() throws IOException {
    Files.createDirectories(stagingDir());
    Files.createDirectories(dataDir());
    Files.createDirectories(partsDir());
  }

  Path newTemp() {
    return stagingDir().resolve(UUID.randomUUID() + TEMP_SUFFIX);
  }

  Path newBody() {
    return dataDir().resolve(UUID.randomUUID() + BODY_SUFFIX);
  }

  Path partDir(String uploadId) {
    return partsDir().resolve(uploadId);
  }

  Path newPart(String uploadId, int partNumber) {
    return partDir(uploadId).resolve(partNumber + "." + UUID.randomUUID() + PART_SUFFIX);
  }

  /** The form stored in rows: relative to the root, with forward slashes. */
  String relative(Path file) {
    return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
  }

  Path resolve(String relative) {
    return relative == null ? null : root.resolve(relative);
  }

  /** Whether {@code file} is a committed body of this queue (what {@link StagedBody#commit} gives). */
  boolean isCommittedBody(Path file) {
    Path f = file.toAbsolutePath().normalize();
    return dataDir().equals(f.getParent()) && f.getFileName().toString().endsWith(BODY_SUFFIX);
  }

  /**
   * Renames {@code from} to {@code to} atomically and forces {@code to}'s directory, so the new
   * name survives a power loss. The file's own bytes must have been forced before.
   */
  static void moveDurably(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory(to.getParent());
  }

  /** fsync of a directory: on Linux a directory opened for reading can be forced like a file. */
  static void forceDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
