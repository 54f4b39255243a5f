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

  HealthCheckedUpstream(UpstreamStore delegate, UpstreamHealth health) {
    this.delegate = delegate;
    this.health = health;
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
    return call(() -> delegate.getRange(bucket, key, etag, first, last));
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
