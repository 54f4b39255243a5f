package io.strata.proxy.s3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.strata.cache.BlockCache;
import io.strata.cache.BlockLayout;
import io.strata.cache.BlockWriter;
import io.strata.cache.CachedBlock;
import io.strata.cache.ObjectVersion;
import io.strata.proxy.upstream.UpstreamStore;
import jakarta.inject.Singleton;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * Brings byte ranges of an object version into the cache with nobody waiting on a socket: footers
 * Strata wants to parse, and what prefetch jobs and pins select. The same rules as a client's
 * read apply (one ranged GET per run of missing blocks, {@code If-Match} the version, a fill
 * already running is waited for, nothing partial is ever visible), so a prefetch and a client
 * reading the same block never fetch it twice.
 */
@Singleton
public final class CacheFiller {

  private static final int CHUNK = 64 * 1024;

  private final BlockCache cache;
  private final UpstreamStore upstream;

  CacheFiller(BlockCache cache, UpstreamStore upstream) {
    this.cache = cache;
    this.upstream = upstream;
  }

  /**
   * Makes bytes {@code [first, last]} of {@code version} cached.
   *
   * @return the bytes fetched from the upstream (0 when all were cached already)
   * @throws io.strata.proxy.upstream.UpstreamUnavailableException when a missing block cannot be
   *     fetched because the upstream is unreachable
   */
  public long ensure(ObjectVersion version, long first, long last) throws IOException {
    BlockLayout layout = cache.layout(version.size());
    int lastBlock = layout.indexOf(last);
    long fetched = 0;
    int index = layout.indexOf(first);
    while (index <= lastBlock) {
      if (cache.contains(version.block(index))) {
        index++;
        continue;
      }
      List<BlockWriter> run = BlockRuns.claim(cache, version, layout, index, lastBlock);
      if (run.isEmpty()) {
        BlockRuns.awaitOtherFill(cache, version.block(index));
        continue;
      }
      fetched += fill(version, layout, run);
      index += run.size();
    }
    return fetched;
  }

  /** How many of bytes {@code [first, last]} of {@code version} are in cached blocks now. */
  public long cachedBytes(ObjectVersion version, long first, long last) {
    BlockLayout layout = cache.layout(version.size());
    long cached = 0;
    for (int i = layout.indexOf(first); i <= layout.indexOf(last); i++) {
      if (cache.contains(version.block(i))) {
        cached += Math.min(last + 1, layout.end(i)) - Math.max(first, layout.start(i));
      }
    }
    return cached;
  }

  /** Bytes {@code [offset, offset + length)} of {@code version}, fetched into the cache first. */
  public byte[] read(ObjectVersion version, long offset, int length) throws IOException {
    long last = offset + length - 1;
    for (int attempt = 0; ; attempt++) {
      ensure(version, offset, last);
      byte[] out = new byte[length];
      if (copyCached(version, offset, out)) {
        return out;
      }
      if (attempt == 2) {
        // Evicted (or found corrupt) three times between fetching and reading: give up loudly.
        throw new IOException("bytes " + offset + "-" + last + " of s3://" + version.bucket() + "/"
            + version.key() + " left the cache before they could be read");
      }
    }
  }

  /** Copies from cached blocks; false if one went missing in the meantime. */
  private boolean copyCached(ObjectVersion version, long offset, byte[] out) throws IOException {
    BlockLayout layout = cache.layout(version.size());
    long position = offset;
    int done = 0;
    while (done < out.length) {
      int index = layout.indexOf(position);
      Optional<CachedBlock> block = cache.openBlock(version.block(index));
      if (block.isEmpty()) {
        return false;
      }
      try (CachedBlock b = block.get()) {
        long within = position - layout.start(index);
        int want = (int) Math.min(out.length - done, b.length() - within);
        ByteBuffer target = ByteBuffer.wrap(out, done, want);
        while (target.hasRemaining()) {
          if (b.channel().read(target, within + target.position() - done) < 0) {
            throw new EOFException("block " + b.key() + " is shorter than recorded");
          }
        }
        done += want;
        position += want;
      }
    }
    return true;
  }

  /** Fetches one run of blocks with a single ranged GET straight into the block files. */
  private long fill(ObjectVersion version, BlockLayout layout, List<BlockWriter> run) throws IOException {
    long fetchFirst = layout.start(run.get(0).key().index());
    long fetchLast = layout.end(run.get(run.size() - 1).key().index()) - 1;
    InputStream in = null;
    int done = 0;
    try {
      in = upstream.getRange(version.bucket(), version.key(), version.etag(), fetchFirst, fetchLast);
      ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(CHUNK);
      try {
        long position = fetchFirst;
        for (BlockWriter writer : run) {
          long remaining = writer.length();
          while (remaining > 0) {
            int want = (int) Math.min(CHUNK, remaining);
            chunk.clear();
            int read = BlockRuns.readFully(in, chunk, want);
            if (read < want) {
              throw new EOFException("the upstream ended s3://" + version.bucket() + "/" + version.key()
                  + " at byte " + (position + read) + " of " + fetchFirst + "-" + fetchLast);
            }
            writer.write(chunk.nioBuffer(chunk.readerIndex(), read));
            position += read;
            remaining -= read;
          }
          writer.commit();
          done++;
        }
      } finally {
        chunk.release();
      }
      return fetchLast - fetchFirst + 1;
    } finally {
      for (int i = done; i < run.size(); i++) {
        run.get(i).close(); // aborts: nothing partial becomes visible
      }
      if (in != null) {
        BlockRuns.abortQuietly(in, done == run.size());
      }
    }
  }
}
