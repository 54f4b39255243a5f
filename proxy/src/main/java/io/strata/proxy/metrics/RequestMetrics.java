package io.strata.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * S3 requests by operation and status ({@code strata_s3_requests_total}, and their duration in
 * {@code strata_s3_request_seconds}), recorded once per request when its answer is complete.
 */
@Singleton
public final class RequestMetrics {

  private final MeterRegistry registry;

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * @param operation the S3 operation, e.g. {@code GET_OBJECT}, or {@code REFUSED} for a request
   *     refused before it was classified (authentication, a malformed request)
   * @param status the HTTP status sent, 0 if the connection was cut first
   */
  public void record(String operation, int status, Duration took) {
    String statusTag = status == 0 ? "aborted" : Integer.toString(status);
    Counter.builder("strata.s3.requests").description("S3 requests by operation and status")
        .tag("operation", operation).tag("status", statusTag).register(registry).increment();
    Timer.builder("strata.s3.request").description("S3 request duration until the answer was sent")
        .tag("operation", operation).register(registry).record(took);
  }
}
