package io.strata.proxy;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.strata.cache.BlockCache;
import io.strata.cache.CacheConfig;
import io.strata.cache.Retention;
import io.strata.cache.uploads.UploadQueue;
import io.strata.cache.uploads.UploadQueueConfig;
import io.strata.proxy.config.CacheSettings;
import io.strata.proxy.config.UploadSettings;
import io.strata.proxy.config.ConfigurationError;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Wires the plain-Java block cache into the application. */
@Factory
final class CacheFactory {

  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  /** The queue of acknowledged writes: its own directory and database, never wiped. */
  @Singleton
  @Bean(preDestroy = "close")
  UploadQueue uploadQueue(CacheSettings settings, UploadSettings uploads, Clock clock) {
    Path dir = settings.directory().resolve("uploads");
    try {
      return UploadQueue.open(new UploadQueueConfig(dir, uploads.maxPendingBytesValue(), clock));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the upload queue in " + dir, e);
    }
  }

  @Singleton
  @Bean(preDestroy = "close")
  /** @param retention the eviction classes of cached bytes ({@link io.strata.proxy.parquet.PriorityBook}) */
  BlockCache blockCache(CacheSettings settings, Clock clock, Retention retention) {
    Path dir = settings.directory();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ConfigurationError("strata.cache.dir", dir.toString(), "a writable directory (" + e.getMessage() + ")");
    }
    CacheConfig config =
        new CacheConfig(dir, settings.maxBytes(), settings.blockBytes(), CacheConfig.DEFAULT_MIN_TAIL_SIZE, clock,
            settings.projectMaxBytes(), settings.projectDepthValue(), settings.warnRatioValue(), retention);
    try {
      return BlockCache.open(config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the cache in " + dir, e);
    }
  }
}
