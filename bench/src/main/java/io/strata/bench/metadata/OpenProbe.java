package io.strata.bench.metadata;

import io.strata.cache.BlockCache;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens a cache directory the way Strata does at start and measures what the opening costs: the
 * time until {@link BlockCache#open} returns, and the heap it keeps (used heap after a full GC,
 * before and after the open, in one JVM) and the process RSS.
 *
 * @param openMillis wall time of {@link BlockCache#open}
 * @param openCpuMillis CPU time of the opening thread in it: on a loaded machine the steadier
 *     figure (garbage collection runs on other threads and is not in it)
 * @param blocks blocks held after the open
 * @param heapBeforeBytes used heap after a full GC, before the open
 * @param heapAfterBytes used heap after a full GC, with the cache open
 * @param rssBytes VmRSS after that GC (0 where /proc is missing)
 */
public record OpenProbe(
    double openMillis, double openCpuMillis, long blocks, long heapBeforeBytes, long heapAfterBytes, long rssBytes) {

  /** Heap the open cache holds: its index and whatever else it keeps. */
  public long heapHeldBytes() {
    return heapAfterBytes - heapBeforeBytes;
  }

  /** Opens {@code dir} with {@link CacheDirGenerator#config}, measures, closes. */
  public static OpenProbe measure(Path dir) throws IOException {
    long heapBefore = usedHeapAfterGc();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    try (BlockCache cache = BlockCache.open(CacheDirGenerator.config(dir))) {
      double openMillis = (System.nanoTime() - start) / 1e6;
      double openCpuMillis = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
      long blocks = cache.stats().blocks();
      long heapAfter = usedHeapAfterGc();
      return new OpenProbe(openMillis, openCpuMillis, blocks, heapBefore, heapAfter, rss());
    }
  }

  /** Used heap after full collections, settled: a second GC frees what the first only queued. */
  static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** This process's resident set, from /proc/self/status. */
  static long rss() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return 0;
    }
    List<String> lines = Files.readAllLines(status);
    for (String line : lines) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return 0;
  }
}
