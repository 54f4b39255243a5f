package io.strata.cache.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Parking and resolving conflicts; read-your-writes listings under exact prefixes. */
class ConflictAndPrefixTest extends QueueTestSupport {

  @BeforeEach
  void setUp() throws IOException {
    open(LARGE);
  }

  private PendingUpload conflicted(String key, String text, String upstreamEtag) throws IOException {
    PendingUpload w = put(key, text, "\"v1\"");
    queue.markUploading(w.id());
    queue.markConflict(w.id(), upstreamEtag, "If-Match failed");
    return queue.latest(BUCKET, key).orElseThrow();
  }

  @Test
  void markConflict_parksWithEtagAndMessage() throws Exception {
    PendingUpload w = conflicted("k", "mine", "\"v9\"");

    assertThat(w.state()).isEqualTo(UploadState.CONFLICT);
    assertThat(w.conflictEtag()).isEqualTo("\"v9\"");
    assertThat(w.lastError()).isEqualTo("If-Match failed");
    assertThat(w.dataFile()).exists();
    assertThat(queue.ready(clock.instant(), 10)).isEmpty();
  }

  @Test
  void resolveConflict_overwrite_pendingWithUpstreamEtagAsBase() throws Exception {
    PendingUpload w = conflicted("k", "mine", "\"v9\"");

    queue.resolveConflict(w.id(), new ConflictResolution.Overwrite());

    PendingUpload resolved = queue.latest(BUCKET, "k").orElseThrow();
    assertThat(resolved.state()).isEqualTo(UploadState.PENDING);
    assertThat(resolved.baseEtag()).isEqualTo("\"v9\"");
    assertThat(resolved.operation()).isEqualTo(UploadOperation.UPDATE);
    assertThat(resolved.conflictEtag()).isNull();
    assertThat(queue.ready(clock.instant(), 10)).containsExactly(resolved);
  }

  @Test
  void resolveConflict_overwriteDeletedUpstream_isCreate() throws Exception {
    PendingUpload w = conflicted("k", "mine", null);

    queue.resolveConflict(w.id(), new ConflictResolution.Overwrite());

    assertThat(queue.latest(BUCKET, "k").orElseThrow().operation()).isEqualTo(UploadOperation.CREATE);
  }

  @Test
  void resolveConflict_overwrite_rebasesWriteQueuedBehind() throws Exception {
    PendingUpload w = conflicted("k", "mine", "\"v9\"");
    PendingUpload next = put("k", "later", null);
    assertThat(next.baseEtag()).isEqualTo("\"v1\"");

    queue.resolveConflict(w.id(), new ConflictResolution.Overwrite());

    PendingUpload rebased = queue.latest(BUCKET, "k").orElseThrow();
    assertThat(rebased.id()).isEqualTo(next.id());
    assertThat(rebased.baseEtag()).isEqualTo("\"mine\"");
    assertThat(queue.ready(clock.instant(), 10)).extracting(PendingUpload::id).containsExactly(w.id());
  }

  @Test
  void resolveConflict_discard_rowAndFileGone() throws Exception {
    PendingUpload w = conflicted("k", "mine", "\"v9\"");

    queue.resolveConflict(w.id(), new ConflictResolution.Discard());

    assertThat(queue.all()).isEmpty();
    assertThat(w.dataFile()).doesNotExist();
    assertThat(queue.pendingBytes()).isZero();
  }

  @Test
  void resolveConflict_uploadAs_newRowCreateUnderNewKey() throws Exception {
    PendingUpload other = put("other", "first", null);
    PendingUpload w = conflicted("k", "mine", "\"v9\"");

    queue.resolveConflict(w.id(), new ConflictResolution.UploadAs("k.mine"));

    assertThat(queue.latest(BUCKET, "k")).isEmpty();
    PendingUpload moved = queue.latest(BUCKET, "k.mine").orElseThrow();
    assertThat(moved.id()).isGreaterThan(w.id());
    assertThat(moved.operation()).isEqualTo(UploadOperation.CREATE);
    assertThat(moved.baseEtag()).isNull();
    assertThat(moved.state()).isEqualTo(UploadState.PENDING);
    assertThat(read(moved.dataFile())).isEqualTo("mine");
    assertThat(moved.etag()).isEqualTo("\"mine\"");
    assertThat(queue.pendingBytes()).isEqualTo(other.size() + moved.size());
  }

  @Test
  void resolveConflict_notInConflict_illegalState() throws Exception {
    PendingUpload w = put("k", "x", null);

    assertThatThrownBy(() -> queue.resolveConflict(w.id(), new ConflictResolution.Discard()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(queue.all()).containsExactly(w);
  }

  @Test
  void resolveConflict_uploadAsOwnKey_rejected() throws Exception {
    PendingUpload w = conflicted("k", "mine", "\"v9\"");

    assertThatThrownBy(() -> queue.resolveConflict(w.id(), new ConflictResolution.UploadAs("k")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(queue.latest(BUCKET, "k").orElseThrow().state()).isEqualTo(UploadState.CONFLICT);
  }

  @Test
  void latestUnder_wildcardCharacters_matchedLiterally() throws Exception {
    put("a%b/1", "x", null);
    put("a_b/1", "x", null);
    put("axb/1", "x", null);
    put("a%bc", "x", null);

    assertThat(queue.latestUnder(BUCKET, "a%b/")).extracting(PendingUpload::key).containsExactly("a%b/1");
    assertThat(queue.latestUnder(BUCKET, "a_b")).extracting(PendingUpload::key).containsExactly("a_b/1");
    assertThat(queue.latestUnder(BUCKET, "a%")).extracting(PendingUpload::key)
        .containsExactly("a%b/1", "a%bc");
  }

  @Test
  void latestUnder_newestPerKey_sortedByUtf8Bytes() throws Exception {
    // U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80) in UTF-8 but after it in UTF-16.
    put("p/\uD83D\uDE00", "emoji", null);
    put("p/\uFF21", "fullwidth", null);
    put("p/é", "one", null);
    PendingUpload uploading = queue.latest(BUCKET, "p/é").orElseThrow();
    queue.markUploading(uploading.id());
    PendingUpload newer = put("p/é", "two", null);
    put("p/Z", "z", null);
    put("q/x", "other prefix", null);
    queue.enqueueDelete("other-bucket", "p/x", null);

    assertThat(queue.latestUnder(BUCKET, "p/"))
        .extracting(PendingUpload::key)
        .containsExactly("p/Z", "p/é", "p/\uFF21", "p/\uD83D\uDE00");
    assertThat(queue.latestUnder(BUCKET, "p/")).contains(newer).doesNotContain(uploading);
    assertThat(queue.latestUnder(BUCKET, "")).hasSize(5);
    assertThat(queue.latestUnder(BUCKET, "p/\uD83D")).isEmpty();
  }
}
