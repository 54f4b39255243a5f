package io.strata.proxy.admin;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.strata.cache.BlockCache;
import io.strata.proxy.s3.S3Server;

/**
 * {@code GET /health/ready}: 200 once Strata serves S3 requests (the S3 port is bound and the
 * cache is open), else 503. Readiness does not depend on the upstream: offline, Strata is still
 * ready to serve what it holds.
 */
@Controller("/health/ready")
final class ReadinessController {

  @Serdeable
  record Ready(String status, String s3) {}

  private final S3Server s3;
  private final BlockCache cache;

  ReadinessController(S3Server s3, BlockCache cache) {
    this.s3 = s3;
    this.cache = cache;
  }

  /** O(1): {@code stats()} classifies every block, 0.5–1.4 s per probe at a million blocks. */
  @Get
  HttpResponse<Ready> ready() {
    if (!cache.isOpen()) {
      return HttpResponse.<Ready>status(HttpStatus.SERVICE_UNAVAILABLE).body(new Ready("DOWN", null));
    }
    return HttpResponse.ok(new Ready("UP", s3.scheme() + "://" + s3.address().getHostString() + ":"
        + s3.address().getPort()));
  }
}
