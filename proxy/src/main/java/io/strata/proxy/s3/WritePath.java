package io.strata.proxy.s3;

import io.strata.cache.uploads.PendingUpload;
import io.strata.cache.uploads.QueueFullException;
import io.strata.cache.uploads.UploadQueue;
import io.strata.proxy.config.UploadSettings;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.uploads.UploadFlusher;
import io.strata.proxy.upstream.UpstreamHealth;
import jakarta.inject.Singleton;
import io.strata.cache.uploads.StagedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.function.Supplier;

/**
 * What every write shares: the upstream version it is based on, queueing it durably, and, in
 * write-through mode, delivering it before the client is answered.
 */
@Singleton
final class WritePath {

  /** S3's limit on key length, in UTF-8 bytes. */
  static final int MAX_KEY_BYTES = 1024;

  private final UploadQueue queue;
  private final ObjectMetadata metadata;
  private final UploadFlusher flusher;
  private final UpstreamHealth health;
  private final UploadSettings.Mode mode;

  WritePath(
      UploadQueue queue,
      ObjectMetadata metadata,
      UploadFlusher flusher,
      UpstreamHealth health,
      UploadSettings settings) {
    this.queue = queue;
    this.metadata = metadata;
    this.flusher = flusher;
    this.health = health;
    this.mode = settings.modeValue();
  }

  static void validateKey(String key) {
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new S3Exception(S3ErrorCode.KEY_TOO_LONG).with("Key", key.substring(0, 64) + "...");
    }
  }

  /**
   * The upstream version a write to {@code bucket/key} replaces, as far as Strata can tell: the
   * upstream's current ETag when online (revalidated as for a read), the held one while offline,
   * or null when the key is not known to exist. A flush writes only if this is still so.
   */
  String baseEtag(String bucket, String key) {
    try {
      return metadata.current(bucket, key).version().etag();
    } catch (S3Exception e) {
      if (e.code() == S3ErrorCode.NO_SUCH_KEY || e.code() == S3ErrorCode.SERVICE_UNAVAILABLE) {
        return null;
      }
      throw e;
    }
  }

  /**
   * Queues a write (or stores a part); a full queue is S3's answer to overload, 503 SlowDown, and
   * the staged body that did not fit is deleted.
   */
  <T> T enqueue(StagedFile staged, Supplier<T> enqueue) {
    try {
      return enqueue.get();
    } catch (QueueFullException e) {
      if (staged != null) {
        try {
          Files.deleteIfExists(staged.path());
        } catch (IOException ignored) {
          // the queue's recovery removes unreferenced files at the next start
        }
      }
      throw new S3Exception(S3ErrorCode.SLOW_DOWN, "Strata's upload queue is full: " + e.getMessage());
    }
  }

  /** Fails fast, before reading a body, when the declared length cannot fit in the queue. */
  void requireRoom(long declaredLength) {
    long pending = queue.pendingBytes();
    long max = queue.config().maxPendingBytes();
    if (declaredLength > 0 && pending + declaredLength > max) {
      throw new S3Exception(S3ErrorCode.SLOW_DOWN, "Strata's upload queue is full: "
          + new QueueFullException(pending, declaredLength, max).getMessage());
    }
  }

  /**
   * After a write was queued: in write-through mode while online, send it now and answer with the
   * upstream's outcome; otherwise wake the flusher and answer with the queued write.
   *
   * @return the ETag to give the client
   */
  String deliver(PendingUpload queued) {
    if (mode == UploadSettings.Mode.WRITE_THROUGH && health.isOnline()) {
      return flusher.flushNow(queued).orElse(queued.etag());
    }
    flusher.wake();
    return queued.etag();
  }
}
