package io.strata.cache.uploads;

import io.strata.cache.common.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A queue on a real temp directory, helpers to queue bodies, and the invariants after each test. */
abstract class QueueTestSupport {

  static final String BUCKET = "bkt";
  static final long LARGE = 1L << 30;

  @TempDir Path dir;
  final TestClock clock = new TestClock();
  UploadQueue queue;

  UploadQueue open(long maxPendingBytes) throws IOException {
    queue = UploadQueue.open(new UploadQueueConfig(dir, maxPendingBytes, clock));
    return queue;
  }

  void reopen() throws IOException {
    queue.close();
    open(queue.config().maxPendingBytes());
  }

  @AfterEach
  void checkInvariantsAndClose() throws IOException {
    if (queue != null) {
      try {
        assertInvariants();
      } finally {
        queue.close();
      }
    }
  }

  StagedFile body(byte[] bytes) throws IOException {
    try (StagedBody staged = queue.stage()) {
      staged.write(ByteBuffer.wrap(bytes));
      return staged.commit();
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  PendingUpload put(String key, String text, String baseEtag) throws IOException {
    return queue.enqueuePut(new PutRequest(BUCKET, key, body(bytes(text)), "\"" + text + "\"",
        null, null, "text/plain", Map.of("owner", "me"), List.of(), baseEtag));
  }

  static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  /**
   * Rows and files agree: every data and part file belongs to a row, every row's file exists,
   * pendingBytes is the sum of the rows, nothing is left in staging.
   */
  void assertInvariants() throws IOException {
    QueuePaths paths = new QueuePaths(dir);
    Set<Path> expected = new HashSet<>();
    long bytes = 0;
    for (PendingUpload row : queue.all()) {
      bytes += row.size();
      if (row.dataFile() != null) {
        assertThat(row.dataFile()).exists().hasSize(row.size());
        expected.add(row.dataFile());
      }
    }
    for (MultipartUpload upload : queue.multiparts(BUCKET, "")) {
      for (UploadedPart part : queue.parts(upload.uploadId())) {
        assertThat(part.file()).exists().hasSize(part.size());
        expected.add(part.file());
        bytes += part.size();
      }
    }
    assertThat(queue.pendingBytes()).as("pendingBytes").isEqualTo(bytes);
    assertThat(files(paths.stagingDir())).as("staging").isEmpty();
    Set<Path> actual = new HashSet<>(files(paths.dataDir()));
    actual.addAll(files(paths.partsDir()));
    assertThat(actual).as("files on disk").containsExactlyInAnyOrderElementsOf(expected);
  }

  static List<Path> files(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }
}
