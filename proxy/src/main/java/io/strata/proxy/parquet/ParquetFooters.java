package io.strata.proxy.parquet;

import io.strata.cache.BlockCache;
import io.strata.cache.BlockLayout;
import io.strata.cache.ObjectVersion;
import io.strata.cache.parquet.FooterParser;
import io.strata.cache.parquet.NotParquetException;
import io.strata.cache.parquet.ParquetFooter;
import io.strata.proxy.s3.CacheFiller;
import io.strata.proxy.upstream.UpstreamUnavailableException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parquet footers of the objects Strata serves. The first time Strata touches a Parquet object (a
 * key ending in {@code .parquet}, or an object whose cached last bytes are {@code PAR1}), it
 * fetches the footer in the background — the 8-byte trailer, then the whole FileMetaData, even
 * when that is larger than the tail block — parses it, and records it in the catalog, so later
 * prefetch plans and the eviction policy know the file's layout without touching the upstream.
 */
@Singleton
public final class ParquetFooters {

  private static final Logger log = LoggerFactory.getLogger(ParquetFooters.class);
  private static final int TRAILER = ParquetFooter.TRAILER_LENGTH;

  private final BlockCache cache;
  private final CacheFiller filler;
  private final Clock clock;
  private final PriorityBook priorities;
  /** Versions already looked at, so a busy object costs one check, not one per request. */
  private final Set<String> noticed = ConcurrentHashMap.newKeySet();
  private final ExecutorService background;

  ParquetFooters(BlockCache cache, CacheFiller filler, Clock clock, PriorityBook priorities) {
    this.cache = cache;
    this.filler = filler;
    this.clock = clock;
    this.priorities = priorities;
    // One thread, a bounded queue: footers are small, and a burst of new objects just waits.
    this.background = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(10_000), r -> {
          Thread t = new Thread(r, "strata-parquet-footers");
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * The footer of {@code version}: from the catalog, else read (through the cache) and parsed.
   *
   * @throws NotParquetException when the object is not a Parquet file
   * @throws UpstreamUnavailableException when footer bytes are needed but not cached while offline
   */
  public ParquetFooter footer(ObjectVersion version) throws IOException {
    Optional<ParquetFooter> known = cache.parquet().footer(version.bucket(), version.key(), version.etag());
    if (known.isPresent()) {
      keepLongest(version, known.get());
      return known.get();
    }
    if (version.size() < TRAILER + 4) {
      throw new NotParquetException("the object has " + version.size() + " bytes, too few for Parquet");
    }
    byte[] trailer = filler.read(version, version.size() - TRAILER, TRAILER);
    int length = FooterParser.footerLength(trailer, version.size());
    byte[] footerBytes = filler.read(version, version.size() - length, length);
    ParquetFooter footer = FooterParser.parse(footerBytes, version.size());
    cache.parquet().record(version.bucket(), version.key(), version.etag(), footer, clock.millis());
    keepLongest(version, footer);
    return footer;
  }

  /** Every reader of the file starts with its footer: it is evicted last. */
  private void keepLongest(ObjectVersion version, ParquetFooter footer) {
    priorities.mark("footer", version, List.of(footer.span()), PriorityClass.VISIBLE.value(), null);
  }

  /**
   * Called for every object version a request touches; cheap. Queues a background footer read
   * for a Parquet object whose footer is not known yet.
   */
  public void noticed(ObjectVersion version) {
    String id = version.bucket() + '\0' + version.key() + '\0' + version.etag();
    if (noticed.contains(id)) {
      return;
    }
    Boolean parquet = looksLikeParquet(version);
    if (parquet == null) {
      return; // not decidable yet: looked at again once the tail (and its magic) is cached
    }
    // Decided either way: later requests for this version cost one set lookup, no file read.
    if (!noticed.add(id) || !parquet) {
      return;
    }
    try {
      background.execute(() -> {
        try {
          footer(version);
        } catch (NotParquetException e) {
          log.debug("s3://{}/{} is not Parquet: {}", version.bucket(), version.key(), e.getMessage());
        } catch (IOException | RuntimeException e) {
          noticed.remove(id); // try again on a later request (offline now, say)
          log.debug("footer of s3://{}/{} not read: {}", version.bucket(), version.key(), e.toString());
        }
      });
    } catch (RejectedExecutionException e) {
      noticed.remove(id);
    }
  }

  /**
   * A {@code .parquet} key, or cached last bytes that end in {@code PAR1}; null while that cannot
   * be told without fetching (the tail is not cached).
   */
  private Boolean looksLikeParquet(ObjectVersion version) {
    if (version.key().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
      return true;
    }
    if (version.size() < TRAILER + 4) {
      return false;
    }
    BlockLayout layout = cache.layout(version.size());
    if (!cache.contains(version.block(layout.tailIndex()))) {
      return null;
    }
    try {
      return FooterParser.endsWithMagic(filler.read(version, version.size() - 4, 4));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  @PreDestroy
  void close() {
    background.shutdownNow();
  }
}
