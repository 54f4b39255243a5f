package io.strata.cache.store;

import io.strata.cache.BlockKey;
import io.strata.cache.meta.BlockRow;
import io.strata.cache.meta.MetadataStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a cache directory to a consistent state at open, in numbered passes (after Kafka's
 * {@code LogLoader}). Consistent means: every block row has a file of the recorded length, every
 * block file has a row, and no temp file exists. CRCs are not checked here (that would read the
 * whole cache); every read checks them.
 */
final class CacheLoader {

  private static final Logger log = LoggerFactory.getLogger(CacheLoader.class);

  /** The recovered state the cache starts from. */
  record Loaded(MetadataStore meta, List<BlockRow> blocks, long bytes) {}

  /** Name of the setting that records the block layout. */
  static final String LAYOUT_SETTING = "block_layout";

  private final BlockPaths paths;
  private final Clock clock;
  private final String layout;

  /** @param layout the block layout of this run, see {@code DiskBlockCache.layoutSetting} */
  CacheLoader(BlockPaths paths, Clock clock, String layout) {
    this.paths = paths;
    this.clock = clock;
    this.layout = layout;
  }

  Loaded load() throws IOException {
    Files.createDirectories(paths.blocksDir());
    Files.createDirectories(paths.tempDir());
    boolean clean = Files.exists(paths.cleanShutdownMarker());
    boolean fresh = !Files.exists(paths.database());

    // First pass: remove temporary files. Fills in progress at the last stop died with it. They
    // are all in one flat directory, so this never walks the block tree.
    int temps = 0;
    try (Stream<Path> list = Files.list(paths.tempDir())) {
      for (Path file : list.toList()) {
        if (Files.deleteIfExists(file)) {
          temps++;
        }
      }
    }

    // Second pass: open the database; move it aside if it is beyond repair. Its blocks cannot be
    // verified without it, so they become orphans and the next pass deletes them.
    MetadataStore meta;
    boolean wiped = false;
    try {
      meta = MetadataStore.open(paths.database(), /* check= */ !clean);
    } catch (IOException e) {
      if (!MetadataStore.isCorruption(e)) {
        throw e;
      }
      Path aside = moveDatabaseAside();
      log.warn("Cache database {} is corrupt ({}); moved it to {} and starting empty",
          paths.database(), e.getMessage(), aside);
      meta = MetadataStore.open(paths.database(), /* check= */ false);
      wiped = true;
    }

    try {
      List<BlockRow> rows = meta.blocks();
      // Third pass: blocks cut with another block layout cannot be served; drop them all.
      Optional<String> storedLayout = meta.setting(LAYOUT_SETTING);
      boolean relayout = storedLayout.isPresent() && !storedLayout.get().equals(layout);
      if (relayout) {
        log.warn("Block layout changed from {} to {}: dropping {} cached blocks",
            storedLayout.get(), layout, rows.size());
        meta.deleteBlocks(rows.stream().map(BlockRow::key).toList());
        rows = List.of();
      }
      meta.putSetting(LAYOUT_SETTING, layout);
      int dropped = 0;
      int orphans = 0;
      // Fourth pass, unless the last stop was clean: reconcile rows and files. After a clean
      // close they agree (every change is rename/unlink and SQLite under one lock), so skip the
      // scan — unless the database is new (deleted by hand?) or its blocks were just dropped.
      if (!clean || wiped || fresh || relayout) {
        Set<Path> expected = new HashSet<>();
        List<BlockRow> kept = new ArrayList<>();
        List<BlockKey> bad = new ArrayList<>();
        for (BlockRow row : rows) {
          Path file = paths.block(row.key());
          if (sizeOf(file) == row.length()) {
            expected.add(file);
            kept.add(row);
          } else {
            bad.add(row.key());
          }
        }
        meta.deleteBlocks(bad);
        dropped = bad.size();
        rows = kept;
        for (Path file : files(paths.blocksDir())) {
          // A wrong-size file of a dropped row is not expected either, so it goes too; so does a
          // temp file beside the blocks, where fills wrote before they had their own directory.
          boolean stray = BlockPaths.isBlockFile(file) ? !expected.contains(file)
              : BlockPaths.isTempFile(file);
          if (stray && Files.deleteIfExists(file)) {
            orphans++;
          }
        }
      }

      // Fifth pass: totals.
      long bytes = rows.stream().mapToLong(BlockRow::length).sum();

      // Sixth pass: from here on a crash is unclean; close() writes the marker again.
      Files.deleteIfExists(paths.cleanShutdownMarker());

      log.info("Opened block cache {}: {} blocks, {} bytes; {}; removed {} temp files, "
              + "{} blocks with a missing or wrong-size file, {} orphan files",
          paths.root(), rows.size(), bytes,
          fresh ? "new" : wiped ? "database wiped" : clean ? "clean shutdown" : "unclean shutdown",
          temps, dropped, orphans);
      return new Loaded(meta, rows, bytes);
    } catch (IOException | RuntimeException e) {
      meta.close();
      throw e;
    }
  }

  private Path moveDatabaseAside() throws IOException {
    Path db = paths.database();
    Path aside = db.resolveSibling(db.getFileName() + BlockPaths.CORRUPT_INFIX + clock.millis());
    Files.move(db, aside, StandardCopyOption.REPLACE_EXISTING);
    // The WAL and shared-memory files belong to the damaged database; never replay them.
    for (String suffix : List.of("-wal", "-shm")) {
      Path side = db.resolveSibling(db.getFileName() + suffix);
      if (Files.exists(side)) {
        Files.move(side, aside.resolveSibling(aside.getFileName() + suffix),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return aside;
  }

  private static long sizeOf(Path file) throws IOException {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      return -1;
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }
}
