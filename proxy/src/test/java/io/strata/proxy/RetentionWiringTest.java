package io.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.strata.cache.BlockCache;
import io.strata.cache.BlockKey;
import io.strata.cache.CacheConfig;
import io.strata.cache.Retention;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache gets the eviction settings and the priority book; another Retention can replace it. */
class RetentionWiringTest {

  @TempDir Path dir;

  /** Stands for the application's Retention: any plain {@code @Singleton} replaces the default. */
  @Singleton
  @Requires(property = "test.own-retention", value = "true")
  @io.micronaut.context.annotation.Replaces(io.strata.proxy.parquet.PriorityBook.class)
  static final class OwnRetention implements Retention {
    @Override
    public int priority(BlockKey block) {
      return 10;
    }
  }

  private Map<String, Object> props() {
    Map<String, Object> props = new HashMap<>(Map.of(
        "strata.upstream.endpoint", "http://127.0.0.1:1",
        "strata.s3.port", 0,
        "strata.cache.dir", dir.toString(),
        "strata.auth.anonymous", "true",
        "strata.cache.project-max-size", "64MiB",
        "strata.cache.project-depth", "2",
        "strata.cache.warn-ratio", "0.9"));
    return props;
  }

  @Test
  void retention_isThePriorityBook_andTheEvictionSettingsReachTheCache() {
    try (ApplicationContext ctx = ApplicationContext.run(props())) {
      CacheConfig config = ctx.getBean(BlockCache.class).config();

      assertThat(config.retention()).isInstanceOf(io.strata.proxy.parquet.PriorityBook.class);
      assertThat(config.projectMaxBytes()).isEqualTo(64L << 20);
      assertThat(config.projectDepth()).isEqualTo(2);
      assertThat(config.warnRatio()).isEqualTo(0.9);
      assertThat(ctx.getBean(BlockCache.class).stats().warnBytes()).isEqualTo((long) ((10L << 30) * 0.9));
    }
  }

  @Test
  void ownRetentionBean_replacesTheDefault() {
    Map<String, Object> props = props();
    props.put("test.own-retention", "true");
    try (ApplicationContext ctx = ApplicationContext.run(props)) {
      assertThat(ctx.getBean(BlockCache.class).config().retention()).isInstanceOf(OwnRetention.class);
    }
  }
}
