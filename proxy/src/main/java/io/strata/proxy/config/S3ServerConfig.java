package io.strata.proxy.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;

/**
 * {@code strata.s3.*}: the S3 endpoint clients talk to.
 *
 * @param domains host names under which virtual-host style requests ({@code bucket.localhost})
 *     are recognised
 * @param workerThreads threads that run blocking work (disk, SQLite, upstream) off the event loop
 * @param headerTimeout how long a client may take to send a request head: from connecting for
 *     the first request, from its first byte for later ones (slow-loris)
 * @param idleTimeout how long a kept-alive connection may wait for its next request
 * @param bodyTimeout how long a request body may stall before the request fails with
 *     RequestTimeout and the connection closes
 * @param writeTimeout how long a client may leave response bytes unread before it is disconnected
 */
@ConfigurationProperties("strata.s3")
public record S3ServerConfig(
    @Bindable(defaultValue = "9100") int port,
    @Bindable(defaultValue = "127.0.0.1") String bind,
    @Bindable(defaultValue = "localhost") List<String> domains,
    @Bindable(defaultValue = "64") int workerThreads,
    @Bindable(defaultValue = "30s") String headerTimeout,
    @Bindable(defaultValue = "60s") String idleTimeout,
    @Bindable(defaultValue = "60s") String bodyTimeout,
    @Bindable(defaultValue = "60s") String writeTimeout) {

  public Duration headerTimeoutDuration() {
    return positive("strata.s3.header-timeout", headerTimeout);
  }

  public Duration idleTimeoutDuration() {
    return positive("strata.s3.idle-timeout", idleTimeout);
  }

  public Duration bodyTimeoutDuration() {
    return positive("strata.s3.body-timeout", bodyTimeout);
  }

  public Duration writeTimeoutDuration() {
    return positive("strata.s3.write-timeout", writeTimeout);
  }

  private static Duration positive(String key, String value) {
    Duration d = ConfigValues.duration(key, value);
    ConfigValues.require(!d.isZero() && !d.isNegative(), key, value, "a positive duration such as 30s");
    return d;
  }
}
