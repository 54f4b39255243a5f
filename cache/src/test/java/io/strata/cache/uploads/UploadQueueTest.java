package io.strata.cache.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Queueing, superseding, ordering, limits and the flusher's transitions. */
class UploadQueueTest extends QueueTestSupport {

  @BeforeEach
  void setUp() throws IOException {
    open(LARGE);
  }

  @Test
  void enqueuePut_roundTrip_deliveredAndFileDeleted() throws Exception {
    PendingUpload queued = queue.enqueuePut(new PutRequest(BUCKET, "a/b.txt", body(bytes("hello")),
        "\"e1\"", "CRC32C", "abc=", "text/plain", Map.of("k", "v"), List.of(), null));

    assertThat(queued.operation()).isEqualTo(UploadOperation.CREATE);
    assertThat(queued.state()).isEqualTo(UploadState.PENDING);
    assertThat(queued.createdAt()).isEqualTo(clock.instant());
    assertThat(read(queued.dataFile())).isEqualTo("hello");
    assertThat(queue.pendingBytes()).isEqualTo(5);
    assertThat(queue.latest(BUCKET, "a/b.txt")).contains(queued);
    assertThat(queued.userMetadata()).isEqualTo(Map.of("k", "v"));
    assertThat(queued.checksumAlgorithm()).isEqualTo("CRC32C");
    assertThat(queued.checksumValue()).isEqualTo("abc=");

    assertThat(queue.ready(clock.instant(), 10)).containsExactly(queued);
    queue.markUploading(queued.id());
    assertThat(queue.latest(BUCKET, "a/b.txt").orElseThrow().state()).isEqualTo(UploadState.UPLOADING);
    assertThat(queue.ready(clock.instant(), 10)).isEmpty();
    queue.markDone(queued.id());

    assertThat(queue.latest(BUCKET, "a/b.txt")).isEmpty();
    assertThat(queued.dataFile()).doesNotExist();
    assertThat(queue.pendingBytes()).isZero();
  }

  @Test
  void enqueuePut_withBase_isUpdate() throws Exception {
    assertThat(put("k", "x", "\"v1\"").operation()).isEqualTo(UploadOperation.UPDATE);
  }

  @Test
  void enqueuePut_pendingWrite_supersededAndBaseInherited() throws Exception {
    PendingUpload first = put("k", "one", "\"v1\"");
    PendingUpload second = put("k", "two", "\"ignored\"");

    assertThat(second.id()).isGreaterThan(first.id());
    assertThat(second.baseEtag()).isEqualTo("\"v1\"");
    assertThat(second.operation()).isEqualTo(UploadOperation.UPDATE);
    assertThat(queue.all()).containsExactly(second);
    assertThat(first.dataFile()).doesNotExist();
    assertThat(queue.pendingBytes()).isEqualTo(3);
  }

  @Test
  void enqueuePut_createSuperseded_staysCreate() throws Exception {
    put("k", "one", null);
    assertThat(put("k", "two", "\"upstream\"").operation()).isEqualTo(UploadOperation.CREATE);
  }

  @Test
  void enqueuePut_uploadingWrite_keptAndNewBaseIsItsEtag() throws Exception {
    PendingUpload first = put("k", "one", null);
    queue.markUploading(first.id());

    PendingUpload second = put("k", "two", null);

    assertThat(queue.all()).extracting(PendingUpload::id).containsExactly(first.id(), second.id());
    assertThat(second.baseEtag()).isEqualTo("\"one\"");
    assertThat(second.operation()).isEqualTo(UploadOperation.UPDATE);
    assertThat(first.dataFile()).exists();
    assertThat(queue.ready(clock.instant(), 10)).isEmpty();

    queue.markDone(first.id());
    assertThat(queue.ready(clock.instant(), 10)).containsExactly(second);
  }

  @Test
  void enqueuePut_afterUploadingDelete_isCreate() throws Exception {
    PendingUpload delete = queue.enqueueDelete(BUCKET, "k", "\"v1\"");
    queue.markUploading(delete.id());

    PendingUpload put = put("k", "new", "\"v1\"");

    assertThat(put.baseEtag()).isNull();
    assertThat(put.operation()).isEqualTo(UploadOperation.CREATE);
  }

  @Test
  void enqueueDelete_afterPendingPut_supersedesAndKeepsBase() throws Exception {
    PendingUpload put = put("k", "one", "\"v1\"");

    PendingUpload delete = queue.enqueueDelete(BUCKET, "k", null);

    assertThat(delete.isDelete()).isTrue();
    assertThat(delete.operation()).isEqualTo(UploadOperation.DELETE);
    assertThat(delete.baseEtag()).isEqualTo("\"v1\"");
    assertThat(delete.dataFile()).isNull();
    assertThat(delete.etag()).isNull();
    assertThat(queue.all()).containsExactly(delete);
    assertThat(put.dataFile()).doesNotExist();
    assertThat(queue.pendingBytes()).isZero();
    assertThat(queue.latest(BUCKET, "k")).contains(delete);
  }

  @Test
  void enqueuePut_behindConflict_waitsWithSameBase() throws Exception {
    PendingUpload first = put("k", "one", "\"v1\"");
    queue.markUploading(first.id());
    queue.markConflict(first.id(), "\"v9\"", "precondition failed");

    PendingUpload second = put("k", "two", null);

    assertThat(second.baseEtag()).isEqualTo("\"v1\"");
    assertThat(queue.all()).hasSize(2);
    assertThat(queue.ready(clock.instant(), 10)).isEmpty();
    assertThat(queue.nextDue()).isEmpty();
  }

  @Test
  void ready_twoKeysInterleaved_oldestPerKeyInIdOrder() throws Exception {
    PendingUpload a1 = put("a", "a1", null);
    PendingUpload b1 = put("b", "b1", null);
    queue.markUploading(a1.id());
    queue.markUploading(b1.id());
    PendingUpload a2 = put("a", "a2", null);
    PendingUpload b2 = put("b", "b2", null);
    PendingUpload c1 = put("c", "c1", null);

    assertThat(queue.ready(clock.instant(), 10)).containsExactly(c1);
    queue.markDone(b1.id());
    assertThat(queue.ready(clock.instant(), 10)).containsExactly(b2, c1);
    queue.markDone(a1.id());
    assertThat(queue.ready(clock.instant(), 10)).containsExactly(a2, b2, c1);
    assertThat(queue.ready(clock.instant(), 2)).containsExactly(a2, b2);
  }

  @Test
  void enqueuePut_pastLimit_queueFullAndStagedFileDeleted() throws Exception {
    queue.close();
    open(10);
    put("a", "123456", null);
    StagedFile tooBig = body(bytes("12345"));

    assertThatThrownBy(() -> queue.enqueuePut(new PutRequest(BUCKET, "b", tooBig, "\"e\"", null, null,
        null, null, null, null)))
        .isInstanceOf(QueueFullException.class)
        .hasMessageContaining("6 bytes");

    assertThat(tooBig.path()).doesNotExist();
    assertThat(queue.latest(BUCKET, "b")).isEmpty();
    assertThat(queue.pendingBytes()).isEqualTo(6);
    // Deletes add no bytes: a full queue still takes them.
    assertThat(queue.enqueueDelete(BUCKET, "c", null).isDelete()).isTrue();
  }

  @Test
  void enqueuePut_foreignFile_rejectedAndNotDeleted() throws Exception {
    Path foreign = java.nio.file.Files.writeString(dir.resolve("elsewhere.body"), "x");

    assertThatThrownBy(() -> queue.enqueuePut(new PutRequest(BUCKET, "k", new StagedFile(foreign, 1),
        "\"e\"", null, null, null, null, null, null)))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(foreign).exists();
    java.nio.file.Files.delete(foreign);
  }

  @Test
  void stage_closeWithoutCommit_deletesTemp() throws Exception {
    try (StagedBody staged = queue.stage()) {
      staged.write(ByteBuffer.wrap(bytes("abc")));
      assertThat(staged.size()).isEqualTo(3);
      assertThat(files(dir.resolve(QueuePaths.STAGING_DIR))).hasSize(1);
    }
    assertThat(files(dir.resolve(QueuePaths.STAGING_DIR))).isEmpty();
  }

  @Test
  void markFailed_backoff_notReadyUntilDue() throws Exception {
    PendingUpload w = put("k", "x", null);
    queue.markUploading(w.id());
    Instant retryAt = clock.instant().plus(Duration.ofMinutes(5));

    queue.markFailed(w.id(), "connection refused", retryAt);

    PendingUpload failed = queue.latest(BUCKET, "k").orElseThrow();
    assertThat(failed.state()).isEqualTo(UploadState.PENDING);
    assertThat(failed.retryCount()).isEqualTo(1);
    assertThat(failed.lastError()).isEqualTo("connection refused");
    assertThat(failed.nextAttemptAt()).isEqualTo(retryAt);
    assertThat(queue.ready(clock.instant(), 10)).isEmpty();
    assertThat(queue.nextDue()).contains(retryAt);

    clock.advance(Duration.ofMinutes(5));
    assertThat(queue.ready(clock.instant(), 10)).extracting(PendingUpload::id).containsExactly(w.id());
  }

  @Test
  void nextDue_onlyHeadsOfKeys() throws Exception {
    assertThat(queue.nextDue()).isEmpty();
    PendingUpload first = put("k", "one", null);
    queue.markUploading(first.id());
    put("k", "two", null);

    assertThat(queue.nextDue()).isEmpty();
  }

  @Test
  void markUploading_superseded_noSuchElement() throws Exception {
    PendingUpload first = put("k", "one", null);
    List<PendingUpload> ready = queue.ready(clock.instant(), 10);
    put("k", "two", null);

    assertThatThrownBy(() -> queue.markUploading(ready.get(0).id()))
        .isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> queue.markDone(first.id())).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void markUploading_notPending_illegalState() throws Exception {
    PendingUpload w = put("k", "one", null);
    queue.markUploading(w.id());

    assertThatThrownBy(() -> queue.markUploading(w.id())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void close_thenUse_illegalState() throws Exception {
    queue.close();
    queue.close();
    assertThatThrownBy(() -> queue.all()).isInstanceOf(IllegalStateException.class);
    open(LARGE);
  }

  @Test
  void open_twiceInOneProcess_fails() {
    assertThatThrownBy(() -> UploadQueue.open(new UploadQueueConfig(dir, LARGE, clock)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("already open");
  }

  @Test
  void reopen_afterClose_keepsEverything() throws Exception {
    PendingUpload a = put("a", "alpha", "\"v1\"");
    PendingUpload b = queue.enqueueDelete(BUCKET, "b", "\"v2\"");
    queue.markUploading(b.id());
    queue.markFailed(b.id(), "timeout", clock.instant().plusSeconds(30));
    MultipartUpload mp = queue.createMultipart(BUCKET, "big", "application/x", Map.of("m", "1"));
    UploadedPart part = queue.putPart(mp.uploadId(), 1, body(bytes("part")), "\"p1\"");

    reopen();

    assertThat(queue.all()).extracting(PendingUpload::id).containsExactly(a.id(), b.id());
    assertThat(queue.latest(BUCKET, "a")).contains(a);
    assertThat(queue.latest(BUCKET, "b").orElseThrow().retryCount()).isEqualTo(1);
    assertThat(read(a.dataFile())).isEqualTo("alpha");
    assertThat(queue.multipart(mp.uploadId())).contains(mp);
    assertThat(queue.parts(mp.uploadId())).containsExactly(part);
    assertThat(queue.pendingBytes()).isEqualTo(9);
    // ids are never reused
    assertThat(put("c", "c", null).id()).isGreaterThan(b.id());
  }

  @Test
  void latest_seesEveryQueuedKey_throughDeliveryDeleteAndReopen() throws Exception {
    PendingUpload a = put("keys/a", "one", null);
    PendingUpload b = put("keys/b", "two", null);
    assertThat(queue.latest(BUCKET, "keys/a")).contains(a);
    assertThat(queue.latest(BUCKET, "keys/never")).isEmpty();

    queue.markUploading(a.id());
    queue.markDone(a.id());
    assertThat(queue.latest(BUCKET, "keys/a")).isEmpty();

    PendingUpload deleteA = queue.enqueueDelete(BUCKET, "keys/a", null);
    assertThat(queue.latest(BUCKET, "keys/a")).contains(deleteA);

    reopen();
    assertThat(queue.latest(BUCKET, "keys/a")).hasValueSatisfying(w -> assertThat(w.isDelete()).isTrue());
    assertThat(queue.latest(BUCKET, "keys/b")).hasValueSatisfying(w -> assertThat(w.id()).isEqualTo(b.id()));

    queue.markUploading(b.id());
    queue.markConflict(b.id(), "\"theirs\"", "changed");
    queue.resolveConflict(b.id(), new ConflictResolution.UploadAs("keys/b-mine"));
    assertThat(queue.latest(BUCKET, "keys/b")).isEmpty();
    assertThat(queue.latest(BUCKET, "keys/b-mine")).isPresent();
  }
}
