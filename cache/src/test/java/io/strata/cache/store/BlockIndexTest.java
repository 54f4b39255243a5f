package io.strata.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cache.BlockKey;
import io.strata.cache.policy.BlockUsage;
import io.strata.cache.policy.Project;
import io.strata.cache.policy.Projects;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlockIndexTest {

  private final Projects projects = new Projects(1);
  private final BlockIndex index = new BlockIndex(0);
  private long recency;

  private BlockEntry put(BlockKey key) {
    Project project = projects.add(key, 10);
    BlockEntry entry = new BlockEntry(index.version(key.bucket(), key.key(), key.etag()),
        key.index(), 10, 0xffff_fff0L, project, 1, 0, ++recency);
    index.put(entry);
    return entry;
  }

  @Test
  void get_findsBlocksOfSparseVersions_andOnlyThose() {
    BlockKey footer = new BlockKey("b", "huge.parquet", "e", 2_000_000);
    BlockKey first = new BlockKey("b", "huge.parquet", "e", 0);
    BlockEntry f = put(footer);
    BlockEntry g = put(first);

    assertThat(index.get(footer)).isSameAs(f);
    assertThat(index.get(new BlockKey("b", "huge.parquet", "e", 0))).isSameAs(g);
    assertThat(index.get(new BlockKey("b", "huge.parquet", "e", 1))).isNull();
    assertThat(index.get(new BlockKey("b", "huge.parquet", "other", 0))).isNull();
    assertThat(index.size()).isEqualTo(2);
    assertThat(f.key()).isEqualTo(footer);
    assertThat(f.crc32c()).isEqualTo(0xffff_fff0L); // the unsigned value survives the int field
  }

  @Test
  void remove_lastBlockOfAVersion_dropsTheVersion_andANewOneStartsClean() {
    BlockKey k = new BlockKey("b", "k", "e", 70);
    BlockEntry old = put(k);
    assertThat(index.remove(k)).isSameAs(old);
    assertThat(index.remove(k)).isNull();
    assertThat(index.size()).isZero();
    assertThat(index.holds(old)).isFalse();

    BlockEntry again = put(k);
    assertThat(index.get(k)).isSameAs(again);
    assertThat(index.holds(again)).isTrue();
    assertThat(index.holds(old)).isFalse();
  }

  @Test
  void put_sameBlockAgain_replacesItsEntry_withoutCountingTwice() {
    BlockKey k = new BlockKey("b", "k", "e", 3);
    BlockEntry first = put(k);
    BlockEntry second = new BlockEntry(first.version(), 3, 10, 1, first.project(), 1, 0, 99);
    assertThat(index.put(second)).isSameAs(first);
    assertThat(index.size()).isEqualTo(1);
    assertThat(index.holds(first)).isFalse();
  }

  /** Random puts and removes against a plain set: lookups, size and iteration agree. */
  @Test
  void randomChanges_agreeWithASet() {
    Random random = new Random(42);
    Set<BlockKey> expected = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      BlockKey k = new BlockKey("b" + random.nextInt(2), "k" + random.nextInt(5), "e",
          random.nextInt(4) == 0 ? random.nextInt(100_000) : random.nextInt(300));
      if (random.nextBoolean() && !expected.contains(k)) {
        put(k);
        expected.add(k);
      } else if (expected.remove(k)) {
        assertThat(index.remove(k)).isNotNull();
      }
    }
    assertThat(index.size()).isEqualTo(expected.size());
    List<BlockKey> iterated = new ArrayList<>();
    for (BlockUsage usage : index.usages()) {
      iterated.add(usage.key());
    }
    assertThat(iterated).containsExactlyInAnyOrderElementsOf(expected);
    List<BlockKey> ofOne = new ArrayList<>();
    index.forEachOf("b1", "k3", e -> ofOne.add(e.key()));
    assertThat(ofOne).containsExactlyInAnyOrderElementsOf(
        expected.stream().filter(k -> k.bucket().equals("b1") && k.key().equals("k3")).toList());
    for (BlockKey k : expected) {
      assertThat(index.contains(k)).isTrue();
    }
  }
}
