package io.strata.proxy.s3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.strata.cache.BlockCache;
import io.strata.cache.BlockKey;
import io.strata.cache.BlockLayout;
import io.strata.cache.BlockWriter;
import io.strata.cache.CachedBlock;
import io.strata.cache.ObjectVersion;
import io.strata.proxy.upstream.UpstreamHealth;
import io.strata.proxy.upstream.UpstreamStore;
import io.strata.proxy.upstream.UpstreamUnavailableException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams bytes {@code [first, last]} of one object version: cached blocks go out as zero-copy
 * file regions; each run of consecutive missing blocks is fetched with one ranged upstream GET
 * (widened to block boundaries, {@code If-Match} the version), and its bytes go to the client and
 * into block files at the same time, the file writes on a small writer pool so that they overlap
 * the network. Nothing is held in memory beyond one {@link #CHUNK} being read, at most
 * {@link BlockFileTee#MAX_QUEUED} chunks waiting for the disk per connection, and the channel's
 * bounded outbound buffer.
 *
 * <p>Response headers are sent lazily, just before the first body byte, so that a failure to reach
 * the upstream for the first missing block still becomes a proper S3 error. After that a failure
 * can only abort the connection. The response ends as soon as its last byte is sent; the rest of
 * the last block is then read into the cache without holding the client's connection. A block is only ever made visible complete ({@link
 * BlockWriter#commit()}); a short or failed upstream read aborts the blocks it was filling.
 */
@Singleton
final class BlockStreamer implements GetObject.Source {

  private static final Logger log = LoggerFactory.getLogger(BlockStreamer.class);
  /**
   * 256 KiB: each chunk costs a hand-off to a block writer, a file write, a hand-off to the event
   * loop and a socket write. At 64 KiB those were 4,096 of each per 256 MiB, and a cold read took
   * 1.7x as long on this machine (docs/performance.md, cold reads).
   */
  private static final int CHUNK = 256 * 1024;
  /** Block-file writers shared by all fills; each fill's writes stay in order (BlockFileTee). */
  private static final int WRITER_THREADS = 4;

  private final BlockCache cache;
  private final UpstreamStore upstream;
  private final UpstreamHealth health;
  private final ServedBytes served;
  /** Writes fetched chunks into block files while request threads go on fetching and sending. */
  private final ExecutorService writers;

  BlockStreamer(BlockCache cache, UpstreamStore upstream, UpstreamHealth health, ServedBytes served) {
    this.cache = cache;
    this.upstream = upstream;
    this.health = health;
    this.served = served;
    AtomicInteger threads = new AtomicInteger();
    this.writers = Executors.newFixedThreadPool(WRITER_THREADS, task -> {
      Thread t = new Thread(task, "strata-block-writer-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @PreDestroy
  void close() {
    writers.shutdown();
  }

  /** Runs disk work on the writer pool, or here once the pool is shut down (the server is stopping). */
  private void writeBlocks(Runnable task) {
    try {
      writers.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  @Override
  public String describe(ObjectVersion version, ByteRange range, boolean stale) {
    return range == null ? new Presence(0, 0, -1, -1).describe(stale) : presence(version, range).describe(stale);
  }

  @Override
  public void stream(
      ObjectVersion version,
      ByteRange range,
      boolean stale,
      HttpResponseStatus status,
      HttpHeaders headers,
      NettyResponse response)
      throws IOException {
    BlockLayout layout = cache.layout(version.size());
    int firstBlock = layout.indexOf(range.first());
    int lastBlock = layout.indexOf(range.last());
    Presence presence = presence(version, range);
    if (presence.missing() > 0 && !health.isOnline()) {
      throw Offline.notCached(version.bucket(), version.key(), presence.missingFirst(), presence.missingLast());
    }
    headers.set(GetObject.CACHE_HEADER, presence.describe(stale));
    Headers lazy = new Headers(response, status, headers);

    int index = firstBlock;
    while (index <= lastBlock) {
      BlockKey key = version.block(index);
      Optional<CachedBlock> hit = cache.openBlock(key);
      if (hit.isPresent()) {
        long from = Math.max(range.first(), layout.start(index)) - layout.start(index);
        long to = Math.min(range.last(), layout.end(index) - 1) - layout.start(index);
        lazy.send();
        response.writeRegion(hit.get(), from, to - from + 1);
        served.cached(to - from + 1);
        index++;
        continue;
      }
      List<BlockWriter> run = BlockRuns.claim(cache, version, layout, index, lastBlock);
      if (run.isEmpty()) {
        BlockRuns.awaitOtherFill(cache, key);
        continue;
      }
      fill(version, layout, range, run, lazy, response);
      index += run.size();
    }
    lazy.send();
    response.finish();
  }

  /**
   * How much of a range is cached, from the in-memory block index (no disk reads).
   *
   * @param missingFirst first byte of the range in a missing block, or -1
   * @param missingLast last byte of the range in a missing block, or -1
   */
  record Presence(int blocks, int missing, long missingFirst, long missingLast) {

    /** The {@code x-strata-cache} value: hit, miss or partial, then ", stale" when past revalidation. */
    String describe(boolean stale) {
      String state = missing == 0 ? "hit" : missing == blocks ? "miss" : "partial";
      return stale ? state + ", stale" : state;
    }
  }

  Presence presence(ObjectVersion version, ByteRange range) {
    BlockLayout layout = cache.layout(version.size());
    int firstBlock = layout.indexOf(range.first());
    int lastBlock = layout.indexOf(range.last());
    int missing = 0;
    long missingFirst = -1;
    long missingLast = -1;
    for (int i = firstBlock; i <= lastBlock; i++) {
      if (!cache.contains(version.block(i))) {
        missing++;
        if (missingFirst < 0) missingFirst = Math.max(layout.start(i), range.first());
        missingLast = Math.min(layout.end(i) - 1, range.last());
      }
    }
    return new Presence(lastBlock - firstBlock + 1, missing, missingFirst, missingLast);
  }

  /**
   * Fetches one run of blocks with a single ranged GET, teeing bytes to the client (from this
   * thread) and to disk (on the writer pool, {@link BlockFileTee}).
   */
  private void fill(
      ObjectVersion version,
      BlockLayout layout,
      ByteRange range,
      List<BlockWriter> run,
      Headers lazy,
      NettyResponse response)
      throws IOException {
    int firstIndex = run.get(0).key().index();
    int lastIndex = run.get(run.size() - 1).key().index();
    long fetchFirst = layout.start(firstIndex);
    long fetchLast = layout.end(lastIndex) - 1;
    BlockFileTee disk = new BlockFileTee(this::writeBlocks);
    InputStream in = null;
    int done = 0;
    try {
      try {
        in = upstream.getRange(version.bucket(), version.key(), version.etag(), fetchFirst, fetchLast);
      } catch (UpstreamUnavailableException e) {
        if (response.headersSent()) {
          throw e;
        }
        throw Offline.notCached(
            version.bucket(), version.key(), Math.max(fetchFirst, range.first()), Math.min(fetchLast, range.last()));
      }
      lazy.send();
      long position = fetchFirst;
      for (BlockWriter writer : run) {
        long remaining = writer.length();
        while (remaining > 0) {
          int want = (int) Math.min(CHUNK, remaining);
          ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(want);
          try {
            int read = BlockRuns.readFully(in, chunk, want);
            if (read < want) {
              throw new EOFException(
                  "the upstream ended s3://" + version.bucket() + "/" + version.key() + " at byte " + (position + read)
                      + " of " + fetchFirst + "-" + fetchLast);
            }
            long sendFrom = Math.max(position, range.first());
            long sendTo = Math.min(position + read - 1, range.last());
            if (sendFrom <= sendTo) {
              response.writeBytes(chunk.retainedSlice((int) (sendFrom - position), (int) (sendTo - sendFrom + 1)));
              served.fetched(sendTo - sendFrom + 1);
              if (sendTo == range.last()) {
                // The client has every byte it asked for: end its response now and finish the
                // block in the background of this thread, so the connection is free at once.
                response.finish();
              }
            }
            disk.write(writer, chunk.retain());
            position += read;
            remaining -= read;
          } finally {
            chunk.release();
          }
        }
        disk.commit(writer);
        done++;
      }
    } catch (IOException | RuntimeException e) {
      if (!(e instanceof NettyResponse.ClientGoneException)) {
        log.warn("fill of s3://{}/{} bytes {}-{} failed: {}", version.bucket(), version.key(), fetchFirst, fetchLast, e.toString());
      }
      throw e;
    } finally {
      // Blocks read in full commit (or abort) on the writer pool; wait for that, so the claims
      // are released before this request ends, then abort the blocks the upstream never finished.
      disk.finish();
      for (int i = done; i < run.size(); i++) {
        run.get(i).close(); // aborts: nothing partial becomes visible
      }
      if (in != null) {
        BlockRuns.abortQuietly(in, done == run.size());
      }
    }
  }

  /** Sends the response headers once, just before the first body byte. */
  private static final class Headers {
    private final NettyResponse response;
    private final HttpResponseStatus status;
    private final HttpHeaders headers;

    Headers(NettyResponse response, HttpResponseStatus status, HttpHeaders headers) {
      this.response = response;
      this.status = status;
      this.headers = headers;
    }

    void send() {
      if (!response.headersSent()) {
        response.sendHeaders(status, headers);
      }
    }
  }
}
