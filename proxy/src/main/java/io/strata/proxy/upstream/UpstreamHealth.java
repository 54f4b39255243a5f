package io.strata.proxy.upstream;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the upstream is reachable. A failed connection marks it offline at once, so no later
 * request waits out a connect timeout again; while offline a probe (any HTTP answer counts) runs
 * every {@code probeInterval} and marks it online when the upstream answers.
 */
public final class UpstreamHealth implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(UpstreamHealth.class);

  /** Online or offline, and since when. */
  public record State(boolean online, Instant since, String reason) {}

  private final URI endpoint;
  private final Clock clock;
  private final Duration probeTimeout;
  private final AtomicReference<State> state;
  private final ScheduledExecutorService prober;
  private final HttpClient http;
  private final List<Runnable> onlineListeners = new CopyOnWriteArrayList<>();

  public UpstreamHealth(URI endpoint, Duration probeInterval, Duration probeTimeout, Clock clock) {
    this.endpoint = endpoint;
    this.clock = clock;
    this.probeTimeout = probeTimeout;
    this.state = new AtomicReference<>(new State(true, clock.instant(), "started"));
    this.http = HttpClient.newBuilder().connectTimeout(probeTimeout).build();
    this.prober =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "strata-upstream-probe");
              t.setDaemon(true);
              return t;
            });
    long millis = probeInterval.toMillis();
    prober.scheduleWithFixedDelay(this::probeIfOffline, millis, millis, TimeUnit.MILLISECONDS);
  }

  public boolean isOnline() {
    return state.get().online();
  }

  public State state() {
    return state.get();
  }

  public URI endpoint() {
    return endpoint;
  }

  /** The upstream failed to answer: requests fail fast until a probe succeeds. */
  public void markOffline(Throwable cause) {
    State previous = state.get();
    if (previous.online()
        && state.compareAndSet(previous, new State(false, clock.instant(), describe(cause)))) {
      log.warn("upstream {} is offline: {}", endpoint, describe(cause));
    }
  }

  public void markOnline() {
    State previous = state.get();
    if (!previous.online() && state.compareAndSet(previous, new State(true, clock.instant(), "probe answered"))) {
      log.info("upstream {} is back online", endpoint);
      onlineListeners.forEach(Runnable::run);
    }
  }

  /** Runs {@code listener} (on the probe's thread; keep it short) each time the upstream comes back. */
  public void onOnline(Runnable listener) {
    onlineListeners.add(listener);
  }

  /** Probes now; returns whether the upstream answered. */
  public boolean probe() {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(endpoint).method("HEAD", HttpRequest.BodyPublishers.noBody())
              .timeout(probeTimeout).build();
      http.send(request, HttpResponse.BodyHandlers.discarding());
      markOnline();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  private void probeIfOffline() {
    if (!isOnline()) {
      probe();
    }
  }

  private static String describe(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  @Override
  public void close() {
    prober.shutdownNow();
  }
}
