package io.strata.proxy.upstream;

import io.strata.cache.ObjectVersion;
import io.strata.proxy.s3.xml.BucketEntry;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Fails fast while the upstream is offline and marks it offline when a call cannot reach it, so
 * that only the first request after an outage waits for a connect timeout.
 */
final class HealthCheckedUpstream implements UpstreamStore {

  private final UpstreamStore delegate;
  private final UpstreamHealth health;
  /** Ranged GETs sent upstream, the bytes they asked for, and the time until their answer began. */
  private final io.micrometer.core.instrument.Counter fetchedBytes;
  private final io.micrometer.core.instrument.Timer fetches;

  HealthCheckedUpstream(UpstreamStore delegate, UpstreamHealth health,
      io.micrometer.core.instrument.MeterRegistry registry) {
    this.delegate = delegate;
    this.health = health;
    this.fetchedBytes = io.micrometer.core.instrument.Counter.builder("strata.upstream.fetched.bytes")
        .baseUnit("bytes").description("Bytes asked of the upstream by ranged GETs (block-aligned)")
        .register(registry);
    this.fetches = io.micrometer.core.instrument.Timer.builder("strata.upstream.fetch")
        .description("Ranged GETs to the upstream: count, and time until the answer began").register(registry);
  }

  @Override
  public ObjectVersion head(String bucket, String key) {
    return call(() -> delegate.head(bucket, key));
  }

  @Override
  public Optional<ObjectVersion> revalidate(String bucket, String key, String etag) {
    return call(() -> delegate.revalidate(bucket, key, etag));
  }

  @Override
  public InputStream getRange(String bucket, String key, String etag, long first, long last) {
    long started = System.nanoTime();
    InputStream body = call(() -> delegate.getRange(bucket, key, etag, first, last));
    fetches.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    fetchedBytes.increment(last - first + 1);
    return body;
  }

  @Override
  public Optional<UpstreamPart> headPart(String bucket, String key, String etag, int partNumber) {
    return call(() -> delegate.headPart(bucket, key, etag, partNumber));
  }

  @Override
  public UpstreamListing list(ListRequest request) {
    return call(() -> delegate.list(request));
  }

  @Override
  public List<BucketEntry> listBuckets() {
    return call(delegate::listBuckets);
  }

  @Override
  public void headBucket(String bucket) {
    call(
        () -> {
          delegate.headBucket(bucket);
          return null;
        });
  }

  @Override
  public String putObject(
      String bucket, String key, Path file, long size, String contentType, Map<String, String> metadata,
      WriteCondition condition) {
    return call(() -> delegate.putObject(bucket, key, file, size, contentType, metadata, condition));
  }

  @Override
  public String putMultipart(
      String bucket, String key, Path file, List<Long> partSizes, String contentType,
      Map<String, String> metadata) {
    return call(() -> delegate.putMultipart(bucket, key, file, partSizes, contentType, metadata));
  }

  @Override
  public void deleteObject(String bucket, String key) {
    call(
        () -> {
          delegate.deleteObject(bucket, key);
          return null;
        });
  }

  @Override
  public String bucketLocation(String bucket) {
    return call(() -> delegate.bucketLocation(bucket));
  }

  private <T> T call(Supplier<T> request) {
    UpstreamHealth.State state = health.state();
    if (!state.online()) {
      throw new UpstreamUnavailableException(
          "the upstream " + health.endpoint() + " is unreachable (offline since " + state.since() + ")",
          null);
    }
    try {
      return request.get();
    } catch (UpstreamUnavailableException e) {
      health.markOffline(e);
      throw e;
    }
  }
}
