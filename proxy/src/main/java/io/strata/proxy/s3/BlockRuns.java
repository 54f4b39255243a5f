package io.strata.proxy.s3;

import io.netty.buffer.ByteBuf;
import io.strata.cache.BlockCache;
import io.strata.cache.BlockKey;
import io.strata.cache.BlockLayout;
import io.strata.cache.BlockWriter;
import io.strata.cache.ObjectVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.http.Abortable;

/**
 * The steps every fill of missing blocks shares, whether a client waits for the bytes
 * ({@link BlockStreamer}) or nobody does ({@link CacheFiller}): claim a run of consecutive
 * missing blocks, wait for someone else's fill, read an upstream body in full chunks, and let go
 * of an upstream body that was not read to its end.
 */
final class BlockRuns {

  /** How long to wait for another request's fill of a block before checking again. */
  private static final long FILL_WAIT_SECONDS = 30;

  private BlockRuns() {}

  /** Claims consecutive missing blocks from {@code index}, stopping at one cached or being filled. */
  static List<BlockWriter> claim(BlockCache cache, ObjectVersion version, BlockLayout layout, int index,
      int lastBlock) throws IOException {
    List<BlockWriter> run = new ArrayList<>();
    for (int i = index; i <= lastBlock; i++) {
      BlockKey key = version.block(i);
      if (i > index && cache.contains(key)) {
        break;
      }
      Optional<BlockWriter> writer = cache.tryStartFill(key, layout.length(i));
      if (writer.isEmpty()) {
        break;
      }
      run.add(writer.get());
    }
    return run;
  }

  /** Waits (bounded) for another request's fill of {@code key}; the caller then looks again. */
  static void awaitOtherFill(BlockCache cache, BlockKey key) throws IOException {
    try {
      cache.fillDone(key).get(FILL_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for a block fill", e);
    } catch (ExecutionException | TimeoutException e) {
      // the other fill failed or is slow: look again, and fill it ourselves if it is free
    }
  }

  /**
   * Reads until {@code want} bytes or the end of the stream: a socket hands over a few KiB per
   * read, and each chunk costs a file write (and for a client a hop to the event loop), so chunks
   * are kept full.
   */
  static int readFully(InputStream in, ByteBuf chunk, int want) throws IOException {
    int total = 0;
    while (total < want) {
      int n = chunk.writeBytes(in, want - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  /** Closes an upstream body; one not read to its end is aborted rather than drained. */
  static void abortQuietly(InputStream in, boolean complete) {
    try {
      if (!complete && in instanceof Abortable abortable) {
        abortable.abort();
      }
      in.close();
    } catch (IOException | RuntimeException ignored) {
      // the connection is discarded either way
    }
  }
}
