package io.strata.cache.store;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs once when the cache grows past its warn level and once when it drops back, not on every
 * commit in between: a full cache sits above the level for good, and one line says so.
 */
final class WarnLevel {

  private static final Logger log = LoggerFactory.getLogger(WarnLevel.class);

  private final String cache;
  private final long warnBytes;
  private final long maxBytes;
  private final AtomicBoolean above = new AtomicBoolean();

  WarnLevel(String cache, long warnBytes, long maxBytes) {
    this.cache = cache;
    this.warnBytes = warnBytes;
    this.maxBytes = maxBytes;
  }

  /** The cache now holds {@code bytes}. */
  void update(long bytes) {
    boolean isAbove = bytes > warnBytes;
    if (above.get() == isAbove || !above.compareAndSet(!isAbove, isAbove)) {
      return;
    }
    if (isAbove) {
      log.warn("Cache {} holds {} bytes, above its warn level of {} bytes (cap {} bytes,"
          + " strata.cache.warn-ratio)", cache, bytes, warnBytes, maxBytes);
    } else {
      log.info("Cache {} is back under its warn level: {} of {} bytes", cache, bytes, warnBytes);
    }
  }

  boolean isAbove() {
    return above.get();
  }
}
