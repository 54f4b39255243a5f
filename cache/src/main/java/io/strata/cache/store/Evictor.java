package io.strata.cache.store;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that runs eviction passes, off the request path. Commits {@link #wake} it; wakes
 * while a pass is queued merge into that pass, so a burst of commits costs one pass.
 *
 * <p>A pass that cannot meet its targets (what is left is protected or being read) is retried
 * after {@code retryMillis} rather than at the next wake, so a cache held over its cap by pins
 * does not re-sort every block on every commit. Wakes meanwhile merge into that retry.
 */
final class Evictor {

  private static final Logger log = LoggerFactory.getLogger(Evictor.class);

  private final ScheduledExecutorService thread;
  /** One pass; returns whether it met its targets. */
  private final BooleanSupplier pass;
  private final long retryMillis;
  /** Whether a pass is queued (now or as a retry) that has not started yet. */
  private final AtomicBoolean queued = new AtomicBoolean();

  Evictor(String threadName, BooleanSupplier pass, long retryMillis) {
    this.pass = pass;
    this.retryMillis = retryMillis;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /** Asks for a pass soon. Cheap when one is already queued. */
  void wake() {
    if (queued.compareAndSet(false, true)) {
      schedule(0);
    }
  }

  private void schedule(long delayMillis) {
    try {
      thread.schedule(this::runQueued, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      queued.set(false);
    }
  }

  private void runQueued() {
    queued.set(false); // from here a wake queues another pass: this one may miss its commit
    if (!runPass() && queued.compareAndSet(false, true)) {
      schedule(retryMillis);
    }
  }

  private boolean runPass() {
    try {
      return pass.getAsBoolean();
    } catch (RuntimeException e) {
      // A failed pass (SQLite trouble?) must not end the thread; the retry tries again.
      log.warn("Eviction pass failed: {}", e.toString());
      return false;
    }
  }

  /**
   * Waits until the passes queued before this call (not a delayed retry) have run, at most
   * {@code timeoutMillis}.
   *
   * @return whether they ran in time
   */
  boolean awaitQueued(long timeoutMillis) {
    try {
      thread.submit(() -> {}).get(timeoutMillis, TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      return false;
    }
  }

  /** Runs a pass on the evictor thread now and waits for it (tests, and start-up checks). */
  boolean passNow(long timeoutMillis) {
    try {
      return thread.submit(this::runPass).get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      return false;
    }
  }

  /** Stops the thread: a running pass finishes its current batch (it checks the cache is open). */
  void close() {
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("The evictor did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
