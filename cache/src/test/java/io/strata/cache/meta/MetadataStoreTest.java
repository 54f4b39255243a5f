package io.strata.cache.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cache.BlockKey;
import io.strata.cache.ObjectVersion;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataStoreTest {

  @TempDir Path dir;

  @Test
  void open_twice_migratesOnce() throws Exception {
    Path db = dir.resolve("strata.db");
    try (MetadataStore store = MetadataStore.open(db, /* check= */ false)) {
      store.insertBlock(new BlockRow(new BlockKey("b", "k", "e", 0), 10, 1, 1));
    }
    try (MetadataStore store = MetadataStore.open(db, /* check= */ true)) {
      assertThat(store.blocksByAccess()).hasSize(1);
    }
  }

  @Test
  void insertBlock_ofSupersededVersion_isRefused() throws Exception {
    try (MetadataStore store = MetadataStore.open(dir.resolve("strata.db"), false)) {
      Instant t = Instant.ofEpochMilli(1000);
      store.recordObject(new ObjectVersion("b", "k", "new", 10, t, null, Map.of(), t), 1000);

      assertThat(store.insertBlock(new BlockRow(new BlockKey("b", "k", "old", 0), 10, 1, 1))).isFalse();
      assertThat(store.insertBlock(new BlockRow(new BlockKey("b", "k", "new", 0), 10, 1, 1))).isTrue();
      assertThat(store.blocksByAccess()).extracting(r -> r.key().etag()).containsExactly("new");
    }
  }

  @Test
  void blocksByAccess_ordersByLastAccess() throws Exception {
    try (MetadataStore store = MetadataStore.open(dir.resolve("strata.db"), false)) {
      BlockKey a = new BlockKey("b", "k", "e", 0);
      BlockKey b = new BlockKey("b", "k", "e", 1);
      store.insertBlock(new BlockRow(a, 10, 1, 100));
      store.insertBlock(new BlockRow(b, 10, 1, 200));
      store.recordAccesses(Map.of(a, new BlockAccess(300, 2)));

      assertThat(store.blocksByAccess()).extracting(BlockRow::key).containsExactly(b, a);
      store.deleteBlocks(List.of(a, b));
      assertThat(store.blocksByAccess()).isEmpty();
    }
  }
}
