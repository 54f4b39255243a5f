package io.strata.proxy.s3;

import io.strata.cache.BlockCache;
import io.strata.cache.ObjectVersion;
import io.strata.proxy.config.CacheSettings;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.upstream.UpstreamStore;
import io.strata.proxy.upstream.UpstreamUnavailableException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Finds the version of an object to serve. Held metadata is trusted for
 * {@code strata.cache.revalidate-after}; after that it is revalidated with {@code If-None-Match}
 * before serving, and while the upstream is unreachable it is served as stale. Concurrent lookups
 * of one key share a single upstream request.
 */
@Singleton
public final class ObjectMetadata {

  /** The version to serve, and whether it is past revalidation (only ever while offline). */
  public record Current(ObjectVersion version, boolean stale) {}

  private final BlockCache cache;
  private final UpstreamStore upstream;
  private final Clock clock;
  private final Duration revalidateAfter;
  private final ConcurrentHashMap<String, CompletableFuture<Current>> inFlight = new ConcurrentHashMap<>();

  ObjectMetadata(BlockCache cache, UpstreamStore upstream, Clock clock, CacheSettings settings) {
    this.cache = cache;
    this.upstream = upstream;
    this.clock = clock;
    this.revalidateAfter = settings.revalidateAfterDuration();
  }

  /**
   * @throws io.strata.proxy.s3.xml.S3Exception {@code NoSuchKey} when the object does not exist
   * @throws io.strata.proxy.upstream.UpstreamUnavailableException offline, for an object never seen
   */
  public Current current(String bucket, String key) {
    Optional<ObjectVersion> held = cache.object(bucket, key);
    if (held.isPresent() && isFresh(held.get())) {
      return new Current(held.get(), false);
    }
    return coalesced(bucket, key, () -> lookUp(bucket, key, held));
  }

  /** The object changed under a read: forget what is held and ask the upstream again. */
  public Current refresh(String bucket, String key) {
    return coalesced(bucket, key, () -> lookUp(bucket, key, Optional.empty()));
  }

  private Current lookUp(String bucket, String key, Optional<ObjectVersion> held) {
    try {
      if (held.isPresent()) {
        Optional<ObjectVersion> changed = upstream.revalidate(bucket, key, held.get().etag());
        if (changed.isEmpty()) {
          Instant now = clock.instant();
          cache.markValidated(bucket, key, now);
          return new Current(held.get().validated(now), false);
        }
        cache.recordObject(changed.get());
        return new Current(changed.get(), false);
      }
      ObjectVersion version = upstream.head(bucket, key);
      cache.recordObject(version);
      return new Current(version, false);
    } catch (UpstreamUnavailableException e) {
      if (held.isPresent()) {
        return new Current(held.get(), true);
      }
      throw Offline.unavailable(
              "The upstream is unreachable and s3://" + bucket + "/" + key + " is not cached")
          .with("BucketName", bucket)
          .with("Key", key);
    } catch (S3Exception e) {
      if (e.code() == S3ErrorCode.NO_SUCH_KEY || e.code() == S3ErrorCode.NO_SUCH_BUCKET) {
        cache.forgetObject(bucket, key);
      }
      throw e;
    }
  }

  private boolean isFresh(ObjectVersion version) {
    return version.validatedAt().plus(revalidateAfter).isAfter(clock.instant());
  }

  private Current coalesced(String bucket, String key, Supplier<Current> lookUp) {
    String id = bucket + '\0' + key;
    CompletableFuture<Current> mine = new CompletableFuture<>();
    CompletableFuture<Current> running = inFlight.putIfAbsent(id, mine);
    if (running != null) {
      try {
        return running.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    try {
      Current current = lookUp.get();
      mine.complete(current);
      return current;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(id, mine);
    }
  }
}
