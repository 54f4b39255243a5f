package io.strata.cache.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cache.ObjectVersion;
import io.strata.cache.parquet.FooterParser;
import io.strata.cache.parquet.ParquetFooter;
import io.strata.cache.parquet.ParquetTestFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetCatalogTest {

  @TempDir Path dir;

  @Test
  void record_thenRead_givesTheSameFooter_acrossReopen() throws Exception {
    byte[] bytes = ParquetTestFiles.wellLogFooter();
    ParquetFooter footer = FooterParser.parse(bytes, 1_000_000);
    Path db = dir.resolve("strata.db");
    try (MetadataStore store = MetadataStore.open(db, false)) {
      new ParquetCatalog(store).record("logs", "w.parquet", "e1", footer, 1);
    }
    try (MetadataStore store = MetadataStore.open(db, true)) {
      ParquetCatalog catalog = new ParquetCatalog(store);
      assertThat(catalog.footer("logs", "w.parquet", "e1")).contains(footer);
      assertThat(catalog.footer("logs", "w.parquet", "e2")).isEmpty();
    }
  }

  @Test
  void newVersionOrForgottenObject_dropsTheOldFooter() throws Exception {
    ParquetFooter footer = FooterParser.parse(ParquetTestFiles.wellLogFooter(), 1_000_000);
    try (MetadataStore store = MetadataStore.open(dir.resolve("strata.db"), false)) {
      ParquetCatalog catalog = new ParquetCatalog(store);
      catalog.record("logs", "w.parquet", "e1", footer, 1);
      store.recordObject(version("e2"), 2);
      assertThat(catalog.footer("logs", "w.parquet", "e1")).isEmpty();
      catalog.record("logs", "w.parquet", "e2", footer, 3);
      store.forgetObject("logs", "w.parquet");
      assertThat(catalog.footer("logs", "w.parquet", "e2")).isEmpty();
    }
  }

  private static ObjectVersion version(String etag) {
    return new ObjectVersion("logs", "w.parquet", etag, 1_000_000, Instant.EPOCH, "application/octet-stream",
        Map.of(), Instant.EPOCH);
  }
}
