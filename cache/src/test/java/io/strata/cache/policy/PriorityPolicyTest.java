package io.strata.cache.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cache.BlockKey;
import io.strata.cache.Retention;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PriorityPolicyTest {

  private final Projects projects = new Projects(1);
  private final Map<BlockKey, Integer> classes = new HashMap<>();
  private final EvictionPolicy policy =
      EvictionPolicy.prioritized(block -> classes.getOrDefault(block, 0));
  private long sequence;

  private BlockUsage block(String key, long lastAccess, long count) {
    BlockKey k = new BlockKey("b", key, "e", 0);
    return BlockUsage.of(k, 10, projects.add(k, 10), lastAccess, count, ++sequence);
  }

  private static EvictionTargets free(long bytes) {
    return new EvictionTargets(bytes, Map.of());
  }

  private static List<String> keys(EvictionPlan plan) {
    return plan.victims().stream().map(u -> u.key().key()).toList();
  }

  @Test
  void plan_ordersByClass_thenLastAccess_thenCount_thenRecency() {
    BlockUsage visible = block("visible", 1, 0);
    BlockUsage recentOld = block("recent-old", 1, 0);
    BlockUsage plainNewer = block("plain-newer", 3, 0);
    BlockUsage plainOftenRead = block("plain-often", 2, 5);
    BlockUsage plainOnce = block("plain-once", 2, 1);
    BlockUsage plainTwinA = block("twin-a", 2, 1); // same time and count: the earlier access goes first
    classes.put(visible.key(), 10);
    classes.put(recentOld.key(), 5);
    List<BlockUsage> all = List.of(visible, recentOld, plainNewer, plainOftenRead, plainOnce, plainTwinA);

    EvictionPlan plan = policy.plan(all, free(1000));

    assertThat(keys(plan)).containsExactly(
        "plain-once", "twin-a", "plain-often", "plain-newer", "recent-old", "visible");
    assertThat(plan.complete()).isFalse();
    assertThat(keys(policy.plan(all, free(25)))).containsExactly("plain-once", "twin-a", "plain-often");
  }

  @Test
  void plan_readAfterSnapshot_movesTheBlockBack() {
    BlockUsage a = block("a", 1, 0);
    BlockUsage b = block("b", 1, 0);
    a.recordRead(5, ++sequence);

    assertThat(keys(policy.plan(List.of(a, b), free(10)))).containsExactly("b");
  }

  @Test
  void plan_skipsProtectedAndBlocksBeingRead_andCountsProtectedBytes() {
    BlockUsage pinned = block("pinned", 1, 0);
    BlockUsage open = block("open", 1, 0);
    BlockUsage plain = block("plain", 2, 0);
    classes.put(pinned.key(), Retention.PROTECTED);
    open.beginRead();

    EvictionPlan plan = policy.plan(List.of(pinned, open, plain), free(30));

    assertThat(keys(plan)).containsExactly("plain");
    assertThat(plan.protectedBytes()).isEqualTo(10);
    assertThat(plan.complete()).isFalse();
    assertThat(policy.protectedBytes(List.of(pinned, open, plain))).isEqualTo(10);
    open.endRead();
    assertThat(keys(policy.plan(List.of(pinned, open, plain), free(30)))).containsExactly("open", "plain");
  }

  @Test
  void plan_projectOverItsCap_takesOnlyItsBlocks() {
    BlockUsage otherOld = block("p2/x", 1, 0);
    BlockUsage own1 = block("p1/a", 2, 0);
    BlockUsage own2 = block("p1/b", 3, 0);
    BlockUsage own3 = block("p1/c", 4, 0);
    Map<Project, Long> over = new IdentityHashMap<>();
    over.put(own1.project(), 15L);

    EvictionPlan plan = policy.plan(List.of(otherOld, own1, own2, own3), new EvictionTargets(0, over));

    assertThat(keys(plan)).containsExactly("p1/a", "p1/b");
    assertThat(plan.complete()).isTrue();
  }

  @Test
  void plan_cacheAndProjectTargets_areMetInOneWalk() {
    BlockUsage p2 = block("p2/x", 1, 0);
    BlockUsage p1a = block("p1/a", 2, 0);
    BlockUsage p1b = block("p1/b", 3, 0);
    BlockUsage p1c = block("p1/c", 4, 0);
    Map<Project, Long> over = new IdentityHashMap<>();
    over.put(p1a.project(), 20L);

    // 10 bytes for the cache: p2/x (oldest) covers it; p1 still needs 20 of its own.
    EvictionPlan plan = policy.plan(List.of(p2, p1a, p1b, p1c), new EvictionTargets(10, over));

    assertThat(keys(plan)).containsExactly("p2/x", "p1/a", "p1/b");
  }

  @Test
  void plan_failingRetention_countsAsDefaultClass() {
    EvictionPolicy failing = EvictionPolicy.prioritized(block -> {
      throw new IllegalStateException("boom");
    });
    BlockUsage a = block("a", 1, 0);

    assertThat(keys(failing.plan(List.of(a), free(10)))).containsExactly("a");
  }

  /**
   * A pass over a million blocks (ten classes, random times and counts) freeing 5%: the size the
   * design must stay fine at. Prints the time of the third pass; asserts only that it is sane.
   */
  @Test
  void plan_millionBlocks_measured() {
    int n = 1_000_000;
    Random random = new Random(42);
    Projects many = new Projects(1);
    List<BlockUsage> blocks = new ArrayList<>(n);
    int[] classOf = new int[n];
    for (int i = 0; i < n; i++) {
      BlockKey k = new BlockKey("b", "project-" + (i % 50) + "/object-" + (i / 64), "e", i % 64);
      blocks.add(BlockUsage.of(k, 1 << 20, many.add(k, 1 << 20),
          random.nextInt(86_400_000), random.nextInt(20), i));
      classOf[i] = random.nextInt(11);
    }
    Map<BlockKey, Integer> byKey = new HashMap<>(2 * n);
    for (int i = 0; i < n; i++) {
      byKey.put(blocks.get(i).key(), classOf[i] == 10 ? Retention.PROTECTED : classOf[i]);
    }
    EvictionPolicy prioritized = EvictionPolicy.prioritized(byKey::get);
    long toFree = (long) n * (1 << 20) / 20;

    EvictionPlan plan = null;
    long nanos = 0;
    for (int pass = 0; pass < 3; pass++) { // the first two warm the JIT up
      long start = System.nanoTime();
      plan = prioritized.plan(blocks, free(toFree));
      nanos = System.nanoTime() - start;
    }

    System.out.printf("Eviction pass over %,d blocks (%,d victims): %d ms%n",
        n, plan.victims().size(), nanos / 1_000_000);
    assertThat(plan.complete()).isTrue();
    assertThat(plan.victims()).hasSize(n / 20);
    assertThat(plan.victims().get(0).passClass).isZero();
  }
}
