package io.strata.bench.metadata;

import io.strata.cache.BlockCache;
import io.strata.cache.BlockKey;
import io.strata.cache.CachedBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Block lookup cost by cache size: the calls a cache hit makes, on a cache holding {@code blocks}
 * blocks, with keys drawn at random over all of them (so at a million the index does not fit the
 * CPU caches, as in production).
 *
 * <ul>
 *   <li>{@link #contains}: the in-memory index alone ({@code BlockCache.contains}, which the
 *       footer and sync paths call per block).
 *   <li>{@link #openBlock}: the whole hit path of {@code BlockStreamer}: index, open the file,
 *       verify length and CRC32C, record the access, close. Blocks are sparse 1 MiB files, so
 *       this is the in-page-cache cost.
 * </ul>
 *
 * <p>The cache directory is {@code $strata.bench.metadata.dir/blocks-N}, generated (with files)
 * if missing; {@code bench/metadata-scale.sh} generates it once and passes the property.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BlockLookupBenchmark {

  /** Keys drawn per benchmark: a power of two, so the cursor wraps with a mask. */
  private static final int KEYS = 1 << 16;

  @Param({"1000", "1000000"})
  public long blocks;

  private BlockCache cache;
  private BlockKey[] keys;
  private int cursor;

  @Setup(Level.Trial)
  public void open() throws IOException {
    Path root = Path.of(System.getProperty("strata.bench.metadata.dir",
        System.getProperty("java.io.tmpdir") + "/strata-metadata-scale"));
    Path dir = root.resolve("blocks-" + blocks);
    if (!Files.exists(dir.resolve("strata.db"))) {
      new CacheDirGenerator(dir, /* files= */ true).generate(blocks);
    }
    cache = BlockCache.open(CacheDirGenerator.config(dir));
    Random random = new Random(7);
    keys = new BlockKey[KEYS];
    for (int i = 0; i < KEYS; i++) {
      // A fresh key each time, as a request builds one: no identity shortcut in equals().
      keys[i] = CacheDirGenerator.blockKey((long) (random.nextDouble() * blocks));
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    cache.close();
  }

  private BlockKey nextKey() {
    return keys[cursor++ & (KEYS - 1)];
  }

  @Benchmark
  public boolean contains() {
    return cache.contains(nextKey());
  }

  @Benchmark
  public long openBlock() throws IOException {
    Optional<CachedBlock> block = cache.openBlock(nextKey());
    if (block.isEmpty()) {
      throw new IllegalStateException("generated block missing: the benchmark measures hits");
    }
    try (CachedBlock b = block.get()) {
      return b.length();
    }
  }
}
