package io.strata.cache.policy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One project's share of the cache: the bytes of its committed blocks. Named by
 * {@link Projects#name}; every block of a project refers to the same instance.
 */
public final class Project {

  private final String name;
  /** Changed by {@link Projects} under the cache's lock; read anywhere. */
  private final AtomicLong bytes = new AtomicLong();

  Project(String name) {
    this.name = name;
  }

  /** {@code bucket/segment...}, see {@link Projects#name}. */
  public String name() {
    return name;
  }

  public long bytes() {
    return bytes.get();
  }

  long add(long delta) {
    return bytes.addAndGet(delta);
  }

  @Override
  public String toString() {
    return name + " (" + bytes.get() + " bytes)";
  }
}
