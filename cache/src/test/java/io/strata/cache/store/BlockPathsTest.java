package io.strata.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cache.BlockKey;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BlockPathsTest {

  private final BlockPaths paths = new BlockPaths(Path.of("/cache"));

  @Test
  void block_usesHashFanOutNeverTheKey() {
    BlockKey key = new BlockKey("bucket", "../../etc/passwd\nx", "\"e\"", 7);
    String hash = BlockPaths.versionHash("bucket", "../../etc/passwd\nx", "\"e\"");

    assertThat(hash).hasSize(64).matches("[0-9a-f]+");
    assertThat(paths.block(key)).isEqualTo(Path.of("/cache/blocks", hash.substring(0, 2),
        hash.substring(2, 4), hash + ".7.blk"));
    assertThat(paths.temp(key)).isEqualTo(Path.of("/cache/tmp", hash + ".7.blk.tmp"));
    assertThat(BlockPaths.isTempFile(paths.temp(key))).isTrue();
    assertThat(BlockPaths.isBlockFile(paths.temp(key))).isFalse();
    assertThat(BlockPaths.isBlockFile(paths.block(key))).isTrue();
  }

  @Test
  void versionHash_separatesFields() {
    assertThat(BlockPaths.versionHash("a", "b/c", "e")).isNotEqualTo(BlockPaths.versionHash("a/b", "c", "e"));
    assertThat(BlockPaths.versionHash("b", "k", "e1")).isNotEqualTo(BlockPaths.versionHash("b", "k", "e2"));
  }
}
