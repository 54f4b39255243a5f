package io.strata.cache.policy;

import static java.util.Objects.requireNonNull;

import io.strata.cache.BlockKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bytes held per project, for the per-project cap. A project is a bucket plus the first
 * {@code depth} '/'-separated segments of a key ({@code logs/well-7} for {@code logs} +
 * {@code well-7/gr.parquet} at depth 1); a key with no more than {@code depth} segments is its own
 * project.
 *
 * <p>Concurrency: {@link #add} and {@link #remove} are called under the cache's lock, so a project
 * whose last block goes cannot be dropped while another thread adds a block to it. Reads take no
 * lock. A project with no bytes is dropped, so the map holds only projects with cached blocks.
 */
public final class Projects {

  private final int depth;
  private final ConcurrentHashMap<String, Project> byName = new ConcurrentHashMap<>();

  public Projects(int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("depth: " + depth + " (expected: >= 1)");
    }
    this.depth = depth;
  }

  /** The name of {@code key}'s project at {@code depth}: {@code bucket/first/segments}. */
  public static String name(BlockKey key, int depth) {
    return name(key.bucket(), key.key(), depth);
  }

  private static String name(String bucket, String key, int depth) {
    int end = -1;
    for (int i = 0; i < depth; i++) {
      end = key.indexOf('/', end + 1);
      if (end < 0) {
        return bucket + "/" + key;
      }
    }
    return bucket + "/" + key.substring(0, end);
  }

  /** Counts a committed block; returns its project, which the block keeps for its removal. */
  public Project add(BlockKey key, long length) {
    requireNonNull(key, "key");
    return add(key.bucket(), key.key(), length);
  }

  /** Counts {@code length} bytes of {@code bucket/key}'s blocks; returns their project. */
  public Project add(String bucket, String key, long length) {
    requireNonNull(bucket, "bucket");
    requireNonNull(key, "key");
    Project project = byName.computeIfAbsent(name(bucket, key, depth), Project::new);
    project.add(length);
    return project;
  }

  /** Uncounts a block added with {@link #add}. */
  public void remove(Project project, long length) {
    if (project.add(-length) <= 0) {
      byName.remove(project.name(), project);
    }
  }

  public Collection<Project> all() {
    return Collections.unmodifiableCollection(byName.values());
  }

  /** The {@code limit} largest projects, largest first, as name to bytes. */
  public Map<String, Long> largest(int limit) {
    // A snapshot: sorting on sizes that commits change meanwhile would break the sort's contract.
    List<Map.Entry<String, Long>> sizes = new ArrayList<>();
    for (Project p : byName.values()) {
      sizes.add(Map.entry(p.name(), p.bytes()));
    }
    sizes.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
        .thenComparing(Map.Entry.comparingByKey()));
    Map<String, Long> top = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : sizes.subList(0, Math.min(limit, sizes.size()))) {
      top.put(e.getKey(), e.getValue());
    }
    return Collections.unmodifiableMap(top);
  }
}
