package io.strata.cache.policy;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What one eviction pass must free.
 *
 * @param bytes bytes to free across the whole cache (0: the total is within its cap)
 * @param projects bytes to free within each project over its own cap (by identity)
 */
public record EvictionTargets(long bytes, Map<Project, Long> projects) {

  public EvictionTargets {
    requireNonNull(projects, "projects");
  }

  public boolean isEmpty() {
    return bytes <= 0 && projects.isEmpty();
  }
}
