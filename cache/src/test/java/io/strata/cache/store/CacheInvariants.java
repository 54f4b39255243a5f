package io.strata.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cache.BlockKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checks a closed cache directory from the outside (after Caffeine's
 * {@code CacheValidationInterceptor}): SQLite's block rows and the block files agree exactly.
 */
final class CacheInvariants {

  private CacheInvariants() {}

  /** @return the bytes of committed blocks */
  static long assertConsistent(Path dir) throws IOException, SQLException {
    BlockPaths paths = new BlockPaths(dir);
    Map<Path, Long> rows = new HashMap<>();
    long rowBytes = 0;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + paths.database());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT bucket, key, etag, idx, length FROM blocks")) {
      while (rs.next()) {
        BlockKey key = new BlockKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4));
        rows.put(paths.block(key), rs.getLong(5));
        rowBytes += rs.getLong(5);
      }
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(paths.blocksDir())) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files).as("temp files").noneMatch(BlockPaths::isTempFile);
    if (Files.exists(paths.tempDir())) {
      try (Stream<Path> temps = Files.list(paths.tempDir())) {
        assertThat(temps.toList()).as("temp files").isEmpty();
      }
    }
    assertThat(files).as("block files vs rows").containsExactlyInAnyOrderElementsOf(rows.keySet());
    long fileBytes = 0;
    for (Path file : files) {
      assertThat(Files.size(file)).as("size of %s", file).isEqualTo(rows.get(file));
      fileBytes += Files.size(file);
    }
    assertThat(fileBytes).as("bytes on disk vs SQLite").isEqualTo(rowBytes);
    return rowBytes;
  }
}
