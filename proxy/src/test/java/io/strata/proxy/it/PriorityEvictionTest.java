package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cache.BlockLayout;
import io.strata.cache.ObjectVersion;
import io.strata.proxy.parquet.PrefetchJob;
import io.strata.proxy.parquet.PrefetchJobs;
import io.strata.proxy.parquet.PrefetchRequest;
import io.strata.proxy.parquet.VisibleSet;
import io.strata.proxy.s3.ObjectMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eviction by priority class under a small cap, with real reads through Strata: what the user
 * sees and what they marked favorite outlive data read once, whatever the order of access.
 */
class PriorityEvictionTest {

  /** 384 KiB: with 64 KiB blocks and the 256 KiB tail, three blocks per object. */
  private static final int SIZE = 384 << 10;

  @TempDir Path dir;
  StrataHarness strata;

  @BeforeEach
  void start() throws Exception {
    strata = new StrataHarness(dir, Map.of("strata.cache.block-size", "64KiB", "strata.cache.max-size", "1MiB",
        "strata.cache.project-max-size", "1MiB"));
    for (String name : List.of("visible", "favorite", "a", "b", "c", "d")) {
      strata.put("prio/" + name + ".bin", bytes(name.hashCode()));
    }
  }

  @AfterEach
  void stop() throws Exception {
    strata.close();
  }

  @Test
  void visibleAndFavorite_outliveDataReadOnce_thenLeftVisible_isRecent_andGoesBeforeFavorite() throws Exception {
    strata.bean(VisibleSet.class).replace(List.of(selection("prio/visible.bin", null)));
    await(strata.bean(VisibleSet.class).current().get(0));
    await(strata.bean(PrefetchJobs.class).submit(selection("prio/favorite.bin", "favorite")));

    for (String name : List.of("a", "b", "c", "d")) {
      byte[] got = strata.client().getObjectAsBytes(r -> r.bucket(StrataHarness.BUCKET).key("prio/" + name + ".bin")).asByteArray();
      assertThat(got).isEqualTo(bytes(name.hashCode()));
      settle();
    }
    assertThat(cached("prio/visible.bin")).as("visible").isEqualTo(1.0);
    assertThat(cached("prio/favorite.bin")).as("favorite").isEqualTo(1.0);
    assertThat(cached("prio/a.bin")).as("read once, long ago").isZero();

    // the user scrolls away: what was visible is "recent" now, above default but below favorite
    strata.bean(VisibleSet.class).replace(List.of());
    for (String name : List.of("a", "b")) {
      strata.client().getObjectAsBytes(r -> r.bucket(StrataHarness.BUCKET).key("prio/" + name + ".bin"));
      settle();
    }
    assertThat(cached("prio/visible.bin")).as("recent outlives default").isEqualTo(1.0);
    // another favorite: two favorites and the recent object do not fit, and recent gives way
    await(strata.bean(PrefetchJobs.class).submit(selection("prio/c.bin", "favorite")));
    settle();
    assertThat(cached("prio/favorite.bin")).as("favorite").isEqualTo(1.0);
    assertThat(cached("prio/visible.bin")).as("recent goes before favorite").isLessThan(1.0);
  }

  private PrefetchRequest selection(String key, String priority) {
    return new PrefetchRequest(StrataHarness.BUCKET, List.of(key), null, null, null, priority);
  }

  /** Fraction of the object's blocks in the cache. */
  private double cached(String key) {
    ObjectVersion version = strata.bean(ObjectMetadata.class).current(StrataHarness.BUCKET, key).version();
    BlockLayout layout = strata.cache().layout(version.size());
    int present = 0;
    for (int i = 0; i < layout.blockCount(); i++) {
      if (strata.cache().contains(version.block(i))) {
        present++;
      }
    }
    return (double) present / layout.blockCount();
  }

  /** Waits for fills to commit and the background evictor to bring the cache under its cap. */
  private void settle() throws Exception {
    strata.assertCacheConsistent();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (strata.cache().stats().bytes() > (1 << 20) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(strata.cache().stats().bytes()).isLessThanOrEqualTo(1 << 20);
  }

  private static void await(PrefetchJob job) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (job.state() == PrefetchJob.State.RUNNING && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(job.state()).as(job.errors().toString()).isEqualTo(PrefetchJob.State.DONE);
  }

  private static byte[] bytes(long seed) {
    byte[] b = new byte[SIZE];
    new Random(seed).nextBytes(b);
    return b;
  }
}
