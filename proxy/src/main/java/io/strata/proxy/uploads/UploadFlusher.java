package io.strata.proxy.uploads;

import io.micronaut.context.annotation.Context;
import io.strata.cache.ObjectVersion;
import io.strata.cache.uploads.PendingUpload;
import io.strata.cache.uploads.UploadQueue;
import io.strata.proxy.config.UploadSettings;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.upstream.UpstreamHealth;
import io.strata.proxy.upstream.UpstreamStore;
import io.strata.proxy.upstream.UpstreamStore.WriteCondition;
import io.strata.proxy.upstream.UpstreamUnavailableException;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers queued writes upstream: at once after a write is queued (when online), at once when
 * the upstream comes back, and at least every {@code strata.uploads.retry-interval}.
 *
 * <p>Safety: a write replaces only the version it was based on ({@code If-Match: base}, or
 * {@code If-None-Match: *} for a create; a HEAD check for multipart and deletes). When that does
 * not hold the write is parked as a conflict with its data, never forced. A write found already
 * applied (the upstream holds its ETag — a flush interrupted by a crash) counts as delivered.
 *
 * <p>Order: per key, the queue hands out only the oldest write, and this class sends at most one
 * write per key at a time ({@link #inFlight}).
 */
@Context
public final class UploadFlusher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(UploadFlusher.class);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  private final UploadQueue queue;
  private final UpstreamStore upstream;
  private final UpstreamHealth health;
  private final CacheAdopter adopter;
  private final Clock clock;
  private final Duration retryInterval;
  private final Duration maxBackoff;
  private final int threads;
  private final long multipartThreshold;
  private final long multipartPartSize;
  private final ExecutorService senders;
  private final Thread loop;
  private final Object signal = new Object();
  /** Keys ({@code bucket\0key}) with a write being sent. Guarded by itself. */
  private final Set<String> inFlight = new HashSet<>();
  private volatile boolean woken = true;
  private volatile boolean running = true;

  UploadFlusher(
      UploadQueue queue,
      UpstreamStore upstream,
      UpstreamHealth health,
      CacheAdopter adopter,
      Clock clock,
      UploadSettings settings) {
    this.queue = queue;
    this.upstream = upstream;
    this.health = health;
    this.adopter = adopter;
    this.clock = clock;
    this.retryInterval = settings.retryIntervalDuration();
    this.maxBackoff = settings.maxBackoffDuration();
    this.threads = settings.flushThreadsValue();
    this.multipartThreshold = settings.multipartThresholdValue();
    this.multipartPartSize = settings.multipartPartSizeValue();
    AtomicInteger n = new AtomicInteger();
    this.senders =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "strata-flush-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.loop = new Thread(this::run, "strata-flush-loop");
    loop.setDaemon(true);
    loop.start();
    health.onOnline(this::wake);
  }

  /** Something may be ready: look now rather than at the next interval. */
  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  /**
   * Write-through: sends one just-queued write now, on the caller's thread.
   *
   * @return the upstream's ETag; empty when it stays queued (upstream unreachable, or an earlier
   *     write to the key goes first)
   * @throws S3Exception when the upstream refused it (the write is then dropped from the queue:
   *     the client is told it failed)
   */
  public Optional<String> flushNow(PendingUpload write) {
    boolean earlierWrite =
        queue.all().stream().anyMatch(w -> w.id() < write.id() && w.bucket().equals(write.bucket()) && w.key().equals(write.key()));
    if (earlierWrite || !claim(write)) {
      wake();
      return Optional.empty();
    }
    try {
      String etag = deliver(write);
      queue.markDone(write.id());
      return Optional.ofNullable(etag); // a delete has none
    } catch (UpstreamUnavailableException e) {
      queue.markFailed(write.id(), e.getMessage(), clock.instant());
      return Optional.empty();
    } catch (ConflictException e) {
      queue.markDone(write.id());
      throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED, e.getMessage());
    } catch (S3Exception e) {
      queue.markDone(write.id());
      throw e;
    } finally {
      release(write);
    }
  }

  private void run() {
    while (running) {
      try {
        if (health.isOnline()) {
          for (PendingUpload write : queue.ready(clock.instant(), threads * 4)) {
            if (claim(write)) {
              senders.execute(() -> send(write));
            }
          }
        }
        await();
      } catch (RuntimeException e) {
        log.error("upload flush loop failed; retrying in {}", retryInterval, e);
        sleepQuietly(retryInterval);
      }
    }
  }

  /** Waits for a wake-up, the next due retry, or the retry interval, whichever comes first. */
  private void await() {
    long waitMillis = retryInterval.toMillis();
    Optional<Instant> due = queue.nextDue();
    if (due.isPresent()) {
      waitMillis = Math.max(10, Math.min(waitMillis, Duration.between(clock.instant(), due.get()).toMillis()));
    }
    synchronized (signal) {
      if (!woken && running) {
        try {
          signal.wait(waitMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          running = false;
        }
      }
      woken = false;
    }
  }

  private boolean claim(PendingUpload write) {
    synchronized (inFlight) {
      if (!inFlight.add(keyOf(write))) {
        return false;
      }
    }
    try {
      queue.markUploading(write.id());
      return true;
    } catch (RuntimeException e) {
      release(write); // no longer pending: superseded, or taken by another path
      return false;
    }
  }

  private void release(PendingUpload write) {
    synchronized (inFlight) {
      inFlight.remove(keyOf(write));
    }
  }

  private void send(PendingUpload write) {
    try {
      deliver(write);
      queue.markDone(write.id());
      log.debug("delivered {} s3://{}/{}", write.operation(), write.bucket(), write.key());
    } catch (ConflictException e) {
      queue.markConflict(write.id(), e.upstreamEtag, e.getMessage()); // the queue logs it
    } catch (UpstreamUnavailableException e) {
      // Retried as soon as the upstream is back (the probe wakes this flusher), not on a backoff.
      queue.markFailed(write.id(), e.getMessage(), clock.instant());
    } catch (RuntimeException e) {
      Instant next = clock.instant().plus(backoff(write.retryCount()));
      queue.markFailed(write.id(), e.toString(), next);
      log.warn("delivering {} s3://{}/{} failed (attempt {}), next try at {}: {}",
          write.operation(), write.bucket(), write.key(), write.retryCount() + 1, next, e.toString());
    } finally {
      release(write);
      wake(); // the next write to this key may go now
    }
  }

  /** Sends one write; returns the upstream's ETag (null for a delete). */
  private String deliver(PendingUpload write) {
    if (write.isDelete()) {
      deliverDelete(write);
      return null;
    }
    String etag;
    List<Long> parts = deliveryParts(write);
    if (parts.isEmpty()) {
      try {
        etag = upstream.putObject(write.bucket(), write.key(), write.dataFile(), write.size(), write.contentType(),
            write.userMetadata(), WriteCondition.matching(write.baseEtag()));
      } catch (S3Exception e) {
        if (e.code() != S3ErrorCode.PRECONDITION_FAILED) {
          throw e;
        }
        etag = alreadyAppliedOrConflict(write, write.etag());
      }
    } else {
      // Multipart completion is not conditional everywhere: check the base first.
      String expected = parts.equals(write.partSizes()) ? write.etag() : MultipartEtag.of(write.dataFile(), parts);
      String current = currentEtag(write);
      if (Objects.equals(current, expected)) {
        etag = current; // delivered before a crash or a lost response
      } else if (!Objects.equals(current, write.baseEtag())) {
        throw conflict(write, current);
      } else {
        etag = upstream.putMultipart(write.bucket(), write.key(), write.dataFile(), parts,
            write.contentType(), write.userMetadata());
      }
    }
    ObjectVersion version = upstream.head(write.bucket(), write.key());
    if (Objects.equals(version.etag(), etag)) {
      adopter.adopt(write, version, parts);
    }
    return etag;
  }

  private void deliverDelete(PendingUpload write) {
    if (write.baseEtag() != null) {
      String current = currentEtag(write);
      if (current != null && !current.equals(write.baseEtag())) {
        throw conflict(write, current);
      }
    }
    upstream.deleteObject(write.bucket(), write.key());
    adopter.forget(write.bucket(), write.key());
  }

  /**
   * How a PUT goes up: the client's own part sizes for a completed multipart upload (so the
   * upstream computes the ETag the client was given); fixed-size parts for a single PUT above the
   * multipart threshold (its upstream ETag then differs from the MD5 the client was given, as for
   * any multipart object); else one PUT.
   */
  private List<Long> deliveryParts(PendingUpload write) {
    if (!write.partSizes().isEmpty()) {
      return write.partSizes();
    }
    if (write.size() <= multipartThreshold) {
      return List.of();
    }
    List<Long> parts = new ArrayList<>();
    for (long left = write.size(); left > 0; left -= multipartPartSize) {
      parts.add(Math.min(left, multipartPartSize));
    }
    return parts;
  }

  private String alreadyAppliedOrConflict(PendingUpload write, String expected) {
    String current = currentEtag(write);
    if (Objects.equals(current, expected)) {
      return current; // delivered before a crash or a lost response: nothing to do again
    }
    throw conflict(write, current);
  }

  private String currentEtag(PendingUpload write) {
    try {
      return upstream.head(write.bucket(), write.key()).etag();
    } catch (S3Exception e) {
      if (e.code() == S3ErrorCode.NO_SUCH_KEY) {
        return null;
      }
      throw e;
    }
  }

  private static ConflictException conflict(PendingUpload write, String current) {
    return new ConflictException(
        write.operation() + " of s3://" + write.bucket() + "/" + write.key() + " was based on "
            + (write.baseEtag() == null ? "no object" : "version " + write.baseEtag())
            + " but the upstream now holds " + (current == null ? "no object" : "version " + current)
            + "; kept in the queue as a conflict", current);
  }

  /** Exponential backoff with jitter: 1 s, 2 s, 4 s … up to max-backoff, each 50–100 %. */
  private Duration backoff(int retries) {
    long capped = Math.min(maxBackoff.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(retries, 20));
    return Duration.ofMillis((long) (capped * (0.5 + ThreadLocalRandom.current().nextDouble() * 0.5)));
  }

  private static String keyOf(PendingUpload write) {
    return write.bucket() + '\0' + write.key();
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @PreDestroy
  @Override
  public void close() {
    running = false;
    wake();
    senders.shutdown();
    try {
      // let writes being sent finish; one that does not is retried after the restart
      senders.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The upstream does not hold the version a write was based on. */
  static final class ConflictException extends RuntimeException {
    final String upstreamEtag;

    ConflictException(String message, String upstreamEtag) {
      super(message);
      this.upstreamEtag = upstreamEtag;
    }
  }
}
