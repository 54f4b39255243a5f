package io.strata.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockLayoutTest {

  private static final long BLOCK = 4096;

  @Test
  void of_manySizes_partitionsTheObject() {
    Random random = new Random(42);
    for (long minTail : new long[] {0, 1, 100, 1024, BLOCK, 3 * BLOCK + 7}) {
      for (long size = 0; size <= 5 * BLOCK + 3; size += 1 + random.nextInt(97)) {
        assertPartition(BlockLayout.of(size, BLOCK, minTail), minTail);
      }
      for (int i = 1; i <= 8; i++) { // exact multiples and their neighbours
        for (long size : new long[] {i * BLOCK - 1, i * BLOCK, i * BLOCK + 1}) {
          assertPartition(BlockLayout.of(size, BLOCK, minTail), minTail);
        }
      }
    }
  }

  private static void assertPartition(BlockLayout layout, long minTail) {
    long size = layout.objectSize();
    String at = "size " + size + ", minTail " + minTail;
    if (size == 0) {
      assertThat(layout.blockCount()).as(at).isZero();
      return;
    }
    long expectedStart = 0;
    for (int i = 0; i < layout.blockCount(); i++) {
      assertThat(layout.start(i)).as(at).isEqualTo(expectedStart);
      assertThat(layout.length(i)).as(at).isPositive();
      if (i != layout.tailIndex()) {
        assertThat(layout.length(i)).as(at).isEqualTo(BLOCK);
      }
      expectedStart = layout.end(i);
    }
    assertThat(expectedStart).as(at).isEqualTo(size);
    long tail = layout.length(layout.tailIndex());
    assertThat(tail).as(at).isGreaterThanOrEqualTo(Math.min(minTail, size));
    assertThat(tail).as(at).isLessThanOrEqualTo(BLOCK + minTail);
    assertThat(layout.tailStart() % BLOCK).as(at).isZero();
    for (long offset : new long[] {0, size / 3, size / 2, layout.tailStart(), size - 1}) {
      int index = layout.indexOf(offset);
      assertThat(offset).as(at).isBetween(layout.start(index), layout.end(index) - 1);
    }
  }

  @Test
  void of_sizeZero_hasNoBlocks() {
    BlockLayout layout = BlockLayout.of(0, BLOCK, 1024);
    assertThat(layout.blockCount()).isZero();
    assertThatThrownBy(() -> layout.indexOf(0)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> layout.length(0)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void of_sizeBelowMinTail_isOneWholeBlock() {
    BlockLayout layout = BlockLayout.of(1000, BLOCK, 1024);
    assertThat(layout.blockCount()).isEqualTo(1);
    assertThat(layout.length(0)).isEqualTo(1000);
    assertThat(layout.indexOf(999)).isZero();
  }

  @Test
  void of_exactMultiple_withoutMinTail_hasFullLastBlock() {
    BlockLayout layout = BlockLayout.of(3 * BLOCK, BLOCK, 0);
    assertThat(layout.blockCount()).isEqualTo(3);
    assertThat(layout.length(2)).isEqualTo(BLOCK);
  }

  @Test
  void of_exactMultiple_withMinTail_mergesTailIntoTwoBlocksWorth() {
    BlockLayout layout = BlockLayout.of(3 * BLOCK, BLOCK, 1024);
    assertThat(layout.blockCount()).isEqualTo(3);
    assertThat(layout.tailStart()).isEqualTo(2 * BLOCK);

    BlockLayout withLongTail = BlockLayout.of(3 * BLOCK + 100, BLOCK, 1024);
    assertThat(withLongTail.blockCount()).isEqualTo(3);
    assertThat(withLongTail.length(2)).isEqualTo(BLOCK + 100);
  }

  @Test
  void new_inconsistentTailStart_isRejected() {
    assertThatThrownBy(() -> new BlockLayout(100, BLOCK, BLOCK))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tailStart: 4096");
    assertThatThrownBy(() -> new BlockLayout(2 * BLOCK, BLOCK, 7))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BlockLayout.of(10, 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("blockSize: 0 (expected: > 0)");
  }
}
