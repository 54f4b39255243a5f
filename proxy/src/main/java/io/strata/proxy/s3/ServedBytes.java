package io.strata.proxy.s3;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.LongAdder;

/** Body bytes sent to clients since the start: from cached blocks, and straight from upstream fills. */
@Singleton
public final class ServedBytes {

  private final LongAdder fromCache = new LongAdder();
  private final LongAdder fromUpstream = new LongAdder();

  void cached(long bytes) {
    fromCache.add(bytes);
  }

  void fetched(long bytes) {
    fromUpstream.add(bytes);
  }

  public long fromCache() {
    return fromCache.sum();
  }

  public long fromUpstream() {
    return fromUpstream.sum();
  }
}
