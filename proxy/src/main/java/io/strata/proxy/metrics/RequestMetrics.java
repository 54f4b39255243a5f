package io.strata.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * S3 requests by operation and status ({@code strata_s3_requests_total}, and their duration in
 * {@code strata_s3_request_seconds}), recorded once per request when its answer is complete.
 *
 * <p>The meters are kept once registered: building and registering them on every request made
 * their ids, tag lists and registry lookups part of each request's garbage (docs/performance.md,
 * p99). Operations and statuses are few, so the maps stay small.
 */
@Singleton
public final class RequestMetrics {

  private final MeterRegistry registry;
  private final ConcurrentHashMap<Outcome, Counter> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> durations = new ConcurrentHashMap<>();

  private record Outcome(String operation, int status) {}

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * @param operation the S3 operation, e.g. {@code GET_OBJECT}, or {@code REFUSED} for a request
   *     refused before it was classified (authentication, a malformed request)
   * @param status the HTTP status sent, 0 if the connection was cut first
   */
  public void record(String operation, int status, Duration took) {
    requests.computeIfAbsent(new Outcome(operation, status), this::counter).increment();
    durations.computeIfAbsent(operation, this::timer).record(took);
  }

  private Counter counter(Outcome outcome) {
    String status = outcome.status() == 0 ? "aborted" : Integer.toString(outcome.status());
    return Counter.builder("strata.s3.requests").description("S3 requests by operation and status")
        .tag("operation", outcome.operation()).tag("status", status).register(registry);
  }

  private Timer timer(String operation) {
    return Timer.builder("strata.s3.request").description("S3 request duration until the answer was sent")
        .tag("operation", operation).register(registry);
  }
}
