package io.strata.cache.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cache.BlockKey;
import org.junit.jupiter.api.Test;

class LruPolicyTest {

  private static BlockKey k(int i) {
    return new BlockKey("b", "k", "e", i);
  }

  @Test
  void victims_afterTouch_skipsTheTouchedBlock() {
    EvictionPolicy lru = EvictionPolicy.lru();
    for (int i = 0; i < 4; i++) {
      lru.add(k(i), 10);
    }
    lru.touch(k(0));

    assertThat(lru.victims(15, null)).containsExactly(k(1), k(2));
    assertThat(lru.victims(0, null)).isEmpty();
  }

  @Test
  void victims_neverIncludesKeep_andStopsWhenOutOfBlocks() {
    EvictionPolicy lru = EvictionPolicy.lru();
    lru.add(k(0), 10);
    lru.add(k(1), 10);

    assertThat(lru.victims(100, k(0))).containsExactly(k(1));
  }

  @Test
  void remove_andTouchOfUnknownBlock_areHarmless() {
    EvictionPolicy lru = EvictionPolicy.lru();
    lru.add(k(0), 10);
    lru.touch(k(9));
    lru.remove(k(0));
    lru.remove(k(0));

    assertThat(lru.victims(100, null)).isEmpty();
  }
}
