package io.strata.cache.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Restarts on real directories with leftovers planted as a crash would leave them. */
class QueueRecoveryTest extends QueueTestSupport {

  @Test
  void open_afterCrash_removesTempFiles() throws Exception {
    open(LARGE);
    StagedBody unfinished = queue.stage();
    unfinished.write(java.nio.ByteBuffer.wrap(bytes("half")));
    queue.close();

    open(LARGE);

    assertThat(files(dir.resolve(QueuePaths.STAGING_DIR))).isEmpty();
    unfinished.close();
  }

  @Test
  void open_afterCrash_uploadingBackToPending() throws Exception {
    open(LARGE);
    PendingUpload w = put("k", "x", null);
    queue.markUploading(w.id());

    reopen();

    PendingUpload after = queue.latest(BUCKET, "k").orElseThrow();
    assertThat(after.state()).isEqualTo(UploadState.PENDING);
    assertThat(queue.ready(clock.instant(), 10)).containsExactly(after);
  }

  @Test
  void open_afterCrash_removesOrphanDataAndPartFiles() throws Exception {
    open(LARGE);
    PendingUpload kept = put("k", "kept", null);
    StagedFile neverQueued = body(bytes("unacknowledged"));
    MultipartUpload mp = queue.createMultipart(BUCKET, "m", null, null);
    UploadedPart part = queue.putPart(mp.uploadId(), 1, body(bytes("part")), "\"p\"");
    queue.close();
    Path orphanPart = part.file().resolveSibling("1.stale.part");
    Files.writeString(orphanPart, "stale");
    Path deadUpload = dir.resolve(QueuePaths.PARTS_DIR).resolve("deadbeef");
    Files.createDirectories(deadUpload);
    Files.writeString(deadUpload.resolve("1.x.part"), "dead");

    open(LARGE);

    assertThat(neverQueued.path()).doesNotExist();
    assertThat(orphanPart).doesNotExist();
    assertThat(deadUpload).doesNotExist();
    assertThat(read(kept.dataFile())).isEqualTo("kept");
    assertThat(read(part.file())).isEqualTo("part");
    assertThat(queue.pendingBytes()).isEqualTo(8);
  }

  @Test
  void open_dataFileMissing_parkedAsConflictNeverDeleted() throws Exception {
    open(LARGE);
    PendingUpload lost = put("lost", "gone", null);
    PendingUpload cut = put("cut", "long body", null);
    queue.close();
    Files.delete(lost.dataFile());
    Files.writeString(cut.dataFile(), "short");

    open(LARGE);

    PendingUpload parked = queue.latest(BUCKET, "lost").orElseThrow();
    assertThat(parked.state()).isEqualTo(UploadState.CONFLICT);
    assertThat(parked.lastError()).isEqualTo(QueueLoader.DATA_FILE_MISSING);
    assertThat(queue.latest(BUCKET, "cut").orElseThrow().state()).isEqualTo(UploadState.CONFLICT);
    assertThat(queue.ready(clock.instant(), 10)).isEmpty();
    // The operator can still drop it.
    queue.resolveConflict(parked.id(), new ConflictResolution.Discard());
    Files.writeString(cut.dataFile(), "long body");
  }

  @Test
  void open_partFileMissing_partDropped() throws Exception {
    open(LARGE);
    MultipartUpload mp = queue.createMultipart(BUCKET, "m", null, Map.of());
    UploadedPart part = queue.putPart(mp.uploadId(), 1, body(bytes("part")), "\"p\"");
    queue.close();
    Files.delete(part.file());

    open(LARGE);

    assertThat(queue.multipart(mp.uploadId())).isPresent();
    assertThat(queue.parts(mp.uploadId())).isEmpty();
    assertThat(queue.pendingBytes()).isZero();
  }

  @Test
  void open_unreadableDatabase_failsAndKeepsIt() throws Exception {
    Files.createDirectories(dir);
    byte[] garbage = bytes("this is not a SQLite database, and it must not be wiped".repeat(100));
    Files.write(dir.resolve(QueuePaths.DATABASE), garbage);

    assertThatThrownBy(() -> open(LARGE))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("never wiped");

    assertThat(Files.readAllBytes(dir.resolve(QueuePaths.DATABASE))).isEqualTo(garbage);
    queue = null;
    // The directory lock was released: a repaired queue opens.
    Files.delete(dir.resolve(QueuePaths.DATABASE));
    open(LARGE);
  }
}
