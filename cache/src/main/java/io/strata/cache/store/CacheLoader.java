package io.strata.cache.store;

import io.strata.cache.BlockKey;
import io.strata.cache.policy.BlockUsage;
import io.strata.cache.policy.Project;
import io.strata.cache.policy.Projects;
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

  /**
   * The recovered state the cache starts from.
   *
   * @param lastRecency the highest access sequence number given to a loaded block
   */
  record Loaded(MetadataStore meta, BlockIndex index, Projects projects, long bytes, long lastRecency) {}

  /** Name of the setting that records the block layout. */
  static final String LAYOUT_SETTING = "block_layout";

  private final BlockPaths paths;
  private final Clock clock;
  private final String layout;
  private final int projectDepth;

  /**
   * @param layout the block layout of this run, see {@code DiskBlockCache.layoutSetting}
   * @param projectDepth see {@link Projects}
   */
  CacheLoader(BlockPaths paths, Clock clock, String layout, int projectDepth) {
    this.paths = paths;
    this.clock = clock;
    this.layout = layout;
    this.projectDepth = projectDepth;
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
      // Third pass: blocks cut with another block layout cannot be served; drop them all.
      Optional<String> storedLayout = meta.setting(LAYOUT_SETTING);
      boolean relayout = storedLayout.isPresent() && !storedLayout.get().equals(layout);
      if (relayout) {
        int gone = meta.deleteAllBlocks();
        log.warn("Block layout changed from {} to {}: dropped {} cached blocks",
            storedLayout.get(), layout, gone);
      }
      meta.putSetting(LAYOUT_SETTING, layout);

      // Fourth pass: the rows into the in-memory index, version by version, in key order. The
      // access sequence, which only breaks ties within one millisecond of last access and one
      // access count, starts out as key order; reads from now on come after.
      Projects projects = new Projects(projectDepth);
      // Sized for the objects known: each cached version is one of them, or an older version.
      BlockIndex loading = new BlockIndex((int) Math.min(meta.objectCount(), 1 << 24));
      IndexBuilder built = new IndexBuilder(loading, projects);
      meta.forEachBlock(built);
      built.endVersion();
      BlockIndex index = built.index;
      long bytes = built.bytes;

      int dropped = 0;
      int orphans = 0;
      // Fifth pass, unless the last stop was clean: reconcile rows and files. After a clean
      // close they agree (every change is rename/unlink and SQLite under one lock), so skip the
      // scan — unless the database is new (deleted by hand?) or its blocks were just dropped.
      if (!clean || wiped || fresh || relayout) {
        Set<Path> expected = new HashSet<>();
        List<BlockKey> bad = new ArrayList<>();
        for (BlockUsage usage : index.usages()) {
          BlockKey key = usage.key(); // built on each call: once per row here
          Path file = paths.block(key);
          if (sizeOf(file) == usage.length()) {
            expected.add(file);
          } else {
            bad.add(key);
          }
        }
        meta.deleteBlocks(bad);
        for (BlockKey key : bad) {
          BlockEntry entry = index.remove(key);
          projects.remove(entry.project(), entry.length());
          bytes -= entry.length();
        }
        dropped = bad.size();
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

      // Sixth pass: from here on a crash is unclean; close() writes the marker again.
      Files.deleteIfExists(paths.cleanShutdownMarker());

      log.info("Opened block cache {}: {} blocks, {} bytes; {}; removed {} temp files, "
              + "{} blocks with a missing or wrong-size file, {} orphan files",
          paths.root(), index.size(), bytes,
          fresh ? "new" : wiped ? "database wiped" : clean ? "clean shutdown" : "unclean shutdown",
          temps, dropped, orphans);
      return new Loaded(meta, index, projects, bytes, built.recency);
    } catch (IOException | RuntimeException e) {
      meta.close();
      throw e;
    }
  }

  /**
   * Builds the index from the rows: one {@link BlockIndex.Version} per version, so its entries
   * share its names, and its project counted once per version rather than named per block.
   */
  private static final class IndexBuilder implements MetadataStore.BlockVisitor {
    private final BlockIndex index;
    private final Projects projects;
    private BlockIndex.Version version;
    private String bucket;
    private String key;
    private Project project;
    /** Bytes of the current version's blocks after its first, counted into its project at its end. */
    private long uncounted;
    long bytes;
    long recency;

    IndexBuilder(BlockIndex index, Projects projects) {
      this.index = index;
      this.projects = projects;
    }

    @Override
    public void version(String bucket, String key, String etag) {
      endVersion();
      this.version = index.version(bucket, key, etag);
      this.bucket = bucket;
      this.key = key;
    }

    @Override
    public void block(int index, long length, long crc32c, long lastAccessMillis, long accessCount) {
      if (project == null) {
        project = projects.add(bucket, key, length);
      } else {
        uncounted += length;
      }
      this.index.put(new BlockEntry(version, index, length, crc32c, project, lastAccessMillis,
          accessCount, ++recency));
      bytes += length;
    }

    void endVersion() {
      if (uncounted > 0) {
        projects.add(bucket, key, uncounted);
      }
      uncounted = 0;
      project = null;
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
