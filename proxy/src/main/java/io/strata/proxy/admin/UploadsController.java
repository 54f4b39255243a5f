package io.strata.proxy.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.strata.cache.uploads.ConflictResolution;
import io.strata.cache.uploads.PendingUpload;
import io.strata.cache.uploads.UploadQueue;
import io.strata.proxy.uploads.UploadFlusher;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * The upload queue on the admin port: what is waiting, and an operator's decision for a write
 * parked as a conflict. Errors are JSON with a message.
 */
@Controller("/api/uploads")
@ExecuteOn(TaskExecutors.BLOCKING)
final class UploadsController {

  /** One queued write as the admin API shows it. */
  @Serdeable
  record QueuedWrite(
      long id,
      String bucket,
      String key,
      String operation,
      String state,
      long size,
      @Nullable String etag,
      @Nullable String baseEtag,
      @Nullable String conflictEtag,
      Instant createdAt,
      int retryCount,
      Instant nextAttemptAt,
      @Nullable String lastError) {

    static QueuedWrite of(PendingUpload w) {
      return new QueuedWrite(w.id(), w.bucket(), w.key(), w.operation().name().toLowerCase(Locale.ROOT),
          w.state().name().toLowerCase(Locale.ROOT), w.size(), w.etag(), w.baseEtag(), w.conflictEtag(),
          w.createdAt(), w.retryCount(), w.nextAttemptAt(), w.lastError());
    }
  }

  /** {@code {"action": "overwrite" | "discard" | "upload-as", "key": "for upload-as"}} */
  @Serdeable
  record Resolution(String action, @Nullable String key) {}

  @Serdeable
  record Queue(int count, long bytes, List<QueuedWrite> writes) {}

  private final UploadQueue queue;
  private final UploadFlusher flusher;
  private final java.time.Clock clock;

  UploadsController(UploadQueue queue, UploadFlusher flusher, java.time.Clock clock) {
    this.queue = queue;
    this.flusher = flusher;
    this.clock = clock;
  }

  @Get
  Queue list() {
    List<QueuedWrite> writes = queue.all().stream().map(QueuedWrite::of).toList();
    return new Queue(writes.size(), queue.pendingBytes(), writes);
  }

  /** A pending write waiting out its back-off is sent at once. */
  @Post("/{id}/retry")
  HttpResponse<?> retry(@PathVariable long id) {
    try {
      queue.retryNow(id, clock.instant());
    } catch (NoSuchElementException e) {
      return HttpResponse.notFound(new Problem("no queued write with id " + id));
    } catch (IllegalStateException e) {
      return HttpResponse.status(HttpStatus.CONFLICT).body(new Problem(e.getMessage()));
    }
    flusher.wake();
    return HttpResponse.ok(list());
  }

  /**
   * Discards a write parked as a conflict (the upstream's version stays). An acknowledged write
   * that is not in conflict is never dropped: it is on its way upstream.
   */
  @Delete("/{id}")
  HttpResponse<?> discard(@PathVariable long id) {
    return resolve(id, new Resolution("discard", null));
  }

  @Post("/{id}/resolve")
  HttpResponse<?> resolve(@PathVariable long id, @Body Resolution resolution) {
    ConflictResolution decision;
    switch (resolution.action() == null ? "" : resolution.action()) {
      case "overwrite" -> decision = new ConflictResolution.Overwrite();
      case "discard" -> decision = new ConflictResolution.Discard();
      case "upload-as" -> {
        if (resolution.key() == null || resolution.key().isBlank()) {
          return HttpResponse.badRequest(new Problem("upload-as needs \"key\": the key to upload the data under"));
        }
        decision = new ConflictResolution.UploadAs(resolution.key());
      }
      default -> {
        return HttpResponse.badRequest(
            new Problem("action: '" + resolution.action() + "' (expected: overwrite, discard or upload-as)"));
      }
    }
    try {
      queue.resolveConflict(id, decision);
    } catch (NoSuchElementException e) {
      return HttpResponse.notFound(new Problem("no queued write with id " + id));
    } catch (IllegalStateException | IllegalArgumentException e) {
      return HttpResponse.status(HttpStatus.CONFLICT).body(new Problem(e.getMessage()));
    }
    flusher.wake();
    return HttpResponse.ok(list());
  }
}
