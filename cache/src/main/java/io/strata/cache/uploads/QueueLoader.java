package io.strata.cache.uploads;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the queue directory to a consistent state at open, in numbered passes (after Kafka's
 * {@code LogLoader}). Consistent means: no temp file, no upload marked as in flight, every file
 * referenced by a row, and every row's file present at its recorded size, or the row parked.
 *
 * <p>Unlike the block cache's loader there is no clean-shutdown shortcut: the queue is small (one
 * file per queued write) and a full scan costs milliseconds. And nothing here is ever wiped: a
 * database that cannot be opened fails {@link #load}, and a row whose data is gone is parked as
 * {@link UploadState#CONFLICT} for an operator, never deleted.
 */
final class QueueLoader {

  private static final Logger log = LoggerFactory.getLogger(QueueLoader.class);

  /** Written to {@code last_error} of a write whose body is gone. */
  static final String DATA_FILE_MISSING = "data file missing";

  /** The recovered state the queue starts from. */
  record Loaded(QueueDatabase db, long pendingBytes) {}

  private final QueuePaths paths;
  private final PendingRows pending;
  private final MultipartRows multipart;

  QueueLoader(QueuePaths paths) {
    this.paths = paths;
    this.pending = new PendingRows(paths);
    this.multipart = new MultipartRows(paths);
  }

  Loaded load() throws IOException {
    paths.createDirectories();

    // First pass: remove temporary files. Bodies being received at the last stop were never
    // acknowledged, so their clients retry.
    int temps = 0;
    for (Path file : list(paths.stagingDir())) {
      if (Files.deleteIfExists(file)) {
        temps++;
      }
    }

    QueueDatabase db = QueueDatabase.open(paths.database());
    try {
      // Second pass: uploads in flight at the last stop are retried. The flusher's conditional
      // writes make a retry of a write that did land either a no-op or a detectable conflict.
      int resumed = db.call("resume uploads", c ->
          Sql.update(c, "UPDATE pending_uploads SET state = 'PENDING' WHERE state = 'UPLOADING'"));

      // Third pass: delete files no row refers to: bodies committed but never queued (a crash
      // before the row's commit, so never acknowledged), and files of delivered, superseded or
      // replaced writes whose deletion the crash cut short (rows are deleted first).
      Set<String> referenced = new HashSet<>(db.call("load paths", c -> Sql.list(c,
          "SELECT local_path FROM pending_uploads WHERE local_path IS NOT NULL"
              + " UNION ALL SELECT local_path FROM multipart_parts",
          rs -> rs.getString(1))));
      Set<String> uploadIds = new HashSet<>(db.call("load multipart uploads", c ->
          Sql.list(c, "SELECT upload_id FROM multipart_uploads", rs -> rs.getString(1))));
      int orphans = 0;
      for (Path file : list(paths.dataDir())) {
        if (!referenced.contains(paths.relative(file)) && Files.deleteIfExists(file)) {
          orphans++;
        }
      }
      for (Path dir : list(paths.partsDir())) {
        for (Path file : Files.isDirectory(dir) ? list(dir) : List.of(dir)) {
          if (!referenced.contains(paths.relative(file)) && Files.deleteIfExists(file)) {
            orphans++;
          }
        }
        if (!uploadIds.contains(dir.getFileName().toString())) {
          try {
            Files.deleteIfExists(dir);
          } catch (DirectoryNotEmptyException e) {
            log.warn("Upload queue: {} belongs to no multipart upload but holds files", dir);
          }
        }
      }

      // Fourth pass: rows whose body is gone or cut short. That is data loss (someone deleted
      // files, or the disk lied about fsync): say so loudly and park the write for an operator.
      int parked = 0;
      for (PendingUpload row : db.call("load writes", c -> pending.list(c, "WHERE local_path IS NOT NULL"))) {
        long size = sizeOf(row.dataFile());
        if (size == row.size()) {
          continue;
        }
        String error = size < 0 ? DATA_FILE_MISSING
            : "data file has " + size + " bytes (expected: " + row.size() + ")";
        log.error("Upload queue: write {} to {}/{} lost its body {}: {}; parked as CONFLICT",
            row.id(), row.bucket(), row.key(), row.dataFile(), error);
        db.call("park write", c -> Sql.update(c,
            "UPDATE pending_uploads SET state = 'CONFLICT', last_error = ? WHERE id = ?", error, row.id()));
        parked++;
      }
      // Parts are not acknowledged writes yet: a lost one is dropped (with the same loud log) so
      // the client sees it missing and uploads it again, instead of failing at completion.
      for (String uploadId : uploadIds) {
        for (UploadedPart part : db.call("load parts", c -> multipart.parts(c, uploadId))) {
          if (sizeOf(part.file()) != part.size()) {
            log.error("Upload queue: part {} of multipart upload {} lost its file {}; dropped it",
                part.partNumber(), uploadId, part.file());
            db.call("drop part", c -> Sql.update(c,
                "DELETE FROM multipart_parts WHERE upload_id = ? AND part_number = ?",
                uploadId, part.partNumber()));
            parked++;
          }
        }
      }

      // Fifth pass: totals.
      long bytes = db.call("sum sizes", c -> Sql.longValue(c,
          "SELECT (SELECT coalesce(sum(size), 0) FROM pending_uploads)"
              + " + (SELECT coalesce(sum(size), 0) FROM multipart_parts)"));
      long writes = db.call("count writes", c -> Sql.longValue(c, "SELECT count(*) FROM pending_uploads"));
      log.info("Upload queue {}: {} queued writes, {} open multipart uploads, {} bytes;"
              + " removed {} temp and {} orphan files, resumed {} interrupted uploads, {} lost bodies",
          paths.root(), writes, uploadIds.size(), bytes, temps, orphans, resumed, parked);
      return new Loaded(db, bytes);
    } catch (IOException | RuntimeException e) {
      try {
        db.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  /** The file's size, or -1 if it does not exist. */
  private static long sizeOf(Path file) throws IOException {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      return -1;
    }
  }
}
