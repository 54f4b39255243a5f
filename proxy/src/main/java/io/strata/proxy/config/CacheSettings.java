package io.strata.proxy.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code strata.cache.*}: the local block cache. Sizes, durations and numbers are kept as written
 * and parsed by the accessors, so a bad value fails start-up with a line naming its key.
 *
 * @param projectMaxSize cap on the cached bytes of one project; past it the project's own blocks
 *     are evicted
 * @param projectDepth how many leading '/'-separated key segments (after the bucket) name a project
 * @param warnRatio fraction of {@code max-size} past which a warning is logged
 */
@ConfigurationProperties("strata.cache")
public record CacheSettings(
    @Bindable(defaultValue = "./strata-data") String dir,
    @Bindable(defaultValue = "10GiB") String maxSize,
    @Bindable(defaultValue = "1MiB") String blockSize,
    @Bindable(defaultValue = "5m") String revalidateAfter,
    @Bindable(defaultValue = "2GiB") String projectMaxSize,
    @Bindable(defaultValue = "1") String projectDepth,
    @Bindable(defaultValue = "0.8") String warnRatio) {

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

  /** At least 16 blocks, like {@link #maxBytes()}; above max-size it never binds. */
  public long projectMaxBytes() {
    long bytes = ConfigValues.size("strata.cache.project-max-size", projectMaxSize);
    long minimum = 16 * blockBytes();
    ConfigValues.require(bytes >= minimum, "strata.cache.project-max-size", projectMaxSize,
        "at least 16 blocks of strata.cache.block-size, " + minimum + " bytes");
    return bytes;
  }

  public int projectDepthValue() {
    int depth;
    try {
      depth = Integer.parseInt(projectDepth == null ? "" : projectDepth.trim());
    } catch (NumberFormatException e) {
      depth = 0;
    }
    ConfigValues.require(depth >= 1, "strata.cache.project-depth", projectDepth,
        "a whole number of key segments, at least 1");
    return depth;
  }

  public double warnRatioValue() {
    double ratio;
    try {
      ratio = Double.parseDouble(warnRatio == null ? "" : warnRatio.trim());
    } catch (NumberFormatException e) {
      ratio = Double.NaN;
    }
    ConfigValues.require(ratio > 0 && ratio <= 1, "strata.cache.warn-ratio", warnRatio,
        "a fraction above 0 and at most 1, such as 0.8");
    return ratio;
  }

  public Duration revalidateAfterDuration() {
    return ConfigValues.duration("strata.cache.revalidate-after", revalidateAfter);
  }
}
