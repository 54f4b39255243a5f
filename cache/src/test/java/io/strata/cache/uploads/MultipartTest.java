package io.strata.cache.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Multipart uploads: parts stored and replaced, completion as one queued write, abort. */
class MultipartTest extends QueueTestSupport {

  @BeforeEach
  void setUp() throws IOException {
    open(LARGE);
  }

  @Test
  void createMultipart_listedAndFound() {
    MultipartUpload a = queue.createMultipart(BUCKET, "dir/a", "application/x", Map.of("m", "1"));
    MultipartUpload b = queue.createMultipart(BUCKET, "dir/b_", null, null);
    queue.createMultipart(BUCKET, "other", null, null);

    assertThat(a.uploadId()).matches("[0-9a-f]{40}").isNotEqualTo(b.uploadId());
    assertThat(a.initiated()).isEqualTo(clock.instant());
    assertThat(queue.multipart(a.uploadId())).contains(a);
    assertThat(queue.multiparts(BUCKET, "dir/")).containsExactly(a, b);
    assertThat(queue.multiparts(BUCKET, "dir/_")).isEmpty();
    assertThat(queue.multipart("nope")).isEmpty();
  }

  @Test
  void putPart_samePartNumber_replacesAndDeletesOldFile() throws Exception {
    MultipartUpload mp = queue.createMultipart(BUCKET, "k", null, null);
    UploadedPart first = queue.putPart(mp.uploadId(), 1, body(bytes("aaaa")), "\"a\"");
    UploadedPart second = queue.putPart(mp.uploadId(), 2, body(bytes("bb")), "\"b\"");

    UploadedPart replaced = queue.putPart(mp.uploadId(), 1, body(bytes("AAAAAA")), "\"A\"");

    assertThat(queue.parts(mp.uploadId())).containsExactly(replaced, second);
    assertThat(first.file()).doesNotExist();
    assertThat(read(replaced.file())).isEqualTo("AAAAAA");
    assertThat(queue.pendingBytes()).isEqualTo(8);
  }

  @Test
  void putPart_unknownUpload_noSuchElementAndBodyDeleted() throws Exception {
    StagedFile body = body(bytes("x"));

    assertThatThrownBy(() -> queue.putPart("missing", 1, body, "\"x\""))
        .isInstanceOf(NoSuchElementException.class);
    assertThat(body.path()).doesNotExist();
  }

  @Test
  void putPart_pastLimit_queueFull() throws Exception {
    queue.close();
    open(5);
    MultipartUpload mp = queue.createMultipart(BUCKET, "k", null, null);
    queue.putPart(mp.uploadId(), 1, body(bytes("1234")), "\"a\"");
    StagedFile body = body(bytes("56"));

    assertThatThrownBy(() -> queue.putPart(mp.uploadId(), 2, body, "\"b\""))
        .isInstanceOf(QueueFullException.class);
    assertThat(body.path()).doesNotExist();
    assertThat(queue.parts(mp.uploadId())).hasSize(1);
  }

  @Test
  void completeMultipart_concatenatesInGivenOrderAndRecordsSizes() throws Exception {
    MultipartUpload mp = queue.createMultipart(BUCKET, "big", "application/x", Map.of("m", "1"));
    queue.putPart(mp.uploadId(), 1, body(bytes("one-")), "\"1\"");
    queue.putPart(mp.uploadId(), 2, body(bytes("two--")), "\"2\"");
    queue.putPart(mp.uploadId(), 3, body(bytes("unused")), "\"3\"");
    queue.putPart(mp.uploadId(), 5, body(bytes("five")), "\"5\"");

    PendingUpload done = queue.completeMultipart(mp.uploadId(), List.of(1, 2, 5), "\"abc-3\"", "\"v1\"");

    assertThat(read(done.dataFile())).isEqualTo("one-two--five");
    assertThat(done.size()).isEqualTo(13);
    assertThat(done.partSizes()).containsExactly(4L, 5L, 4L);
    assertThat(done.etag()).isEqualTo("\"abc-3\"");
    assertThat(done.operation()).isEqualTo(UploadOperation.UPDATE);
    assertThat(done.contentType()).isEqualTo("application/x");
    assertThat(done.userMetadata()).isEqualTo(Map.of("m", "1"));
    assertThat(queue.multipart(mp.uploadId())).isEmpty();
    assertThat(queue.parts(mp.uploadId())).isEmpty();
    assertThat(dir.resolve("parts").resolve(mp.uploadId())).doesNotExist();
    assertThat(queue.pendingBytes()).isEqualTo(13);
    assertThat(queue.latest(BUCKET, "big")).contains(done);
  }

  @Test
  void completeMultipart_supersedesPendingPut() throws Exception {
    PendingUpload old = put("big", "small", "\"v1\"");
    MultipartUpload mp = queue.createMultipart(BUCKET, "big", null, null);
    queue.putPart(mp.uploadId(), 1, body(bytes("xy")), "\"1\"");

    PendingUpload done = queue.completeMultipart(mp.uploadId(), List.of(1), "\"e-1\"", null);

    assertThat(done.baseEtag()).isEqualTo("\"v1\"");
    assertThat(queue.all()).containsExactly(done);
    assertThat(old.dataFile()).doesNotExist();
  }

  @Test
  void completeMultipart_unknownUploadOrPart_rejected() throws Exception {
    MultipartUpload mp = queue.createMultipart(BUCKET, "k", null, null);
    queue.putPart(mp.uploadId(), 1, body(bytes("x")), "\"1\"");

    assertThatThrownBy(() -> queue.completeMultipart("missing", List.of(1), "\"e\"", null))
        .isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> queue.completeMultipart(mp.uploadId(), List.of(1, 2), "\"e\"", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(queue.parts(mp.uploadId())).hasSize(1);
    assertThat(files(dir.resolve("staging"))).isEmpty();
  }

  @Test
  void abortMultipart_rowsAndFilesGone() throws Exception {
    MultipartUpload mp = queue.createMultipart(BUCKET, "k", null, null);
    UploadedPart part = queue.putPart(mp.uploadId(), 1, body(bytes("xyz")), "\"1\"");

    queue.abortMultipart(mp.uploadId());

    assertThat(queue.multipart(mp.uploadId())).isEmpty();
    assertThat(part.file()).doesNotExist();
    assertThat(Files.exists(dir.resolve("parts").resolve(mp.uploadId()))).isFalse();
    assertThat(queue.pendingBytes()).isZero();
    assertThatThrownBy(() -> queue.abortMultipart(mp.uploadId()))
        .isInstanceOf(NoSuchElementException.class);
  }
}
