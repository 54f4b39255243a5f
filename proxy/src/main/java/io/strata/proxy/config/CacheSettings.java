package io.strata.proxy.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code strata.cache.*}: the local block cache. Sizes and durations are kept as written and
 * parsed by the accessors, so a bad value fails start-up with a line naming its key.
 */
@ConfigurationProperties("strata.cache")
public record CacheSettings(
    @Bindable(defaultValue = "./strata-data") String dir,
    @Bindable(defaultValue = "10GiB") String maxSize,
    @Bindable(defaultValue = "1MiB") String blockSize,
    @Bindable(defaultValue = "5m") String revalidateAfter) {

  public Path directory() {
    ConfigValues.require(!dir.isBlank(), "strata.cache.dir", dir, "a directory path");
    return Path.of(dir).toAbsolutePath().normalize();
  }

  /** At least 16 blocks: a cap near one block would evict every block as the next one lands. */
  public long maxBytes() {
    long bytes = ConfigValues.size("strata.cache.max-size", maxSize);
    long minimum = 16 * blockBytes();
    ConfigValues.require(bytes >= minimum, "strata.cache.max-size", maxSize,
        "at least 16 blocks of strata.cache.block-size, " + minimum + " bytes");
    return bytes;
  }

  public long blockBytes() {
    long bytes = ConfigValues.size("strata.cache.block-size", blockSize);
    ConfigValues.require(
        bytes >= 64 << 10 && bytes <= 64 << 20 && Long.bitCount(bytes) == 1,
        "strata.cache.block-size",
        blockSize,
        "a power of two between 64KiB and 64MiB");
    return bytes;
  }

  public Duration revalidateAfterDuration() {
    return ConfigValues.duration("strata.cache.revalidate-after", revalidateAfter);
  }
}
