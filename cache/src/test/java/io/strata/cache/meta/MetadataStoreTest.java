package io.strata.cache.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cache.BlockKey;
import io.strata.cache.ObjectVersion;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
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
      assertThat(store.blocks()).hasSize(1);
    }
  }

  @Test
  void insertBlock_ofSupersededVersion_isRefused() throws Exception {
    try (MetadataStore store = MetadataStore.open(dir.resolve("strata.db"), false)) {
      Instant t = Instant.ofEpochMilli(1000);
      store.recordObject(new ObjectVersion("b", "k", "new", 10, t, null, Map.of(), t), 1000);

      assertThat(store.insertBlock(new BlockRow(new BlockKey("b", "k", "old", 0), 10, 1, 1))).isFalse();
      assertThat(store.insertBlock(new BlockRow(new BlockKey("b", "k", "new", 0), 10, 1, 1))).isTrue();
      assertThat(store.blocks()).extracting(r -> r.key().etag()).containsExactly("new");
    }
  }

  @Test
  void open_version3Database_addsAccessCountsStartingAtZero() throws Exception {
    Path db = dir.resolve("strata.db");
    BlockKey k = new BlockKey("b", "k", "e", 0);
    try (MetadataStore store = MetadataStore.open(db, /* check= */ false)) {
      store.insertBlock(new BlockRow(k, 10, 1, 100));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) { // back to what schema version 3 wrote
      s.execute("ALTER TABLE blocks DROP COLUMN access_count");
      s.execute("DROP TABLE saved_selections");
      s.execute("DROP TABLE sync_state");
      s.execute("DROP TABLE object_parts");
      s.execute("PRAGMA user_version = 3");
    }

    try (MetadataStore store = MetadataStore.open(db, /* check= */ true)) {
      assertThat(store.blocks()).containsExactly(new BlockRow(k, 10, 1, 100, 0));
      store.recordAccesses(Map.of(k, new BlockAccess(200, 4)));
      assertThat(store.blocks()).containsExactly(new BlockRow(k, 10, 1, 200, 4));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      assertThat(rs.getInt(1)).isEqualTo(7);
    }
  }

  @Test
  void blocks_inKeyOrder_recordAccessesAddUp() throws Exception {
    try (MetadataStore store = MetadataStore.open(dir.resolve("strata.db"), false)) {
      BlockKey a = new BlockKey("b", "k", "e", 1);
      BlockKey b = new BlockKey("b", "k", "e", 0);
      BlockKey c = new BlockKey("b", "j", "e", 0);
      store.insertBlock(new BlockRow(a, 10, 1, 100));
      store.insertBlock(new BlockRow(b, 10, 1, 200));
      store.insertBlock(new BlockRow(c, 10, 1, 300));
      store.recordAccesses(Map.of(a, new BlockAccess(300, 2)));

      assertThat(store.blocks()).extracting(BlockRow::key).containsExactly(c, b, a);
      assertThat(store.blocks()).extracting(BlockRow::accessCount).containsExactly(0L, 0L, 2L);
      store.recordAccesses(Map.of(a, new BlockAccess(250, 3))); // an older batch: count adds, time stays
      assertThat(store.blocks().get(2)).isEqualTo(new BlockRow(a, 10, 1, 300, 5));
      store.deleteBlocks(List.of(a, b, c));
      assertThat(store.blocks()).isEmpty();
    }
  }

  @Test
  void blocks_ofOneVersion_shareTheirNames() throws Exception {
    try (MetadataStore store = MetadataStore.open(dir.resolve("strata.db"), false)) {
      store.insertBlock(new BlockRow(new BlockKey("b", "k", "e", 0), 10, 1, 100));
      store.insertBlock(new BlockRow(new BlockKey("b", "k", "e", 1), 10, 1, 100));
      store.insertBlock(new BlockRow(new BlockKey("b", "k", "f", 0), 10, 1, 100));

      List<BlockRow> rows = store.blocks();

      assertThat(rows.get(1).key().key()).isSameAs(rows.get(0).key().key());
      assertThat(rows.get(1).key().etag()).isSameAs(rows.get(0).key().etag());
      assertThat(rows.get(2).key().etag()).isEqualTo("f");
    }
  }
}
