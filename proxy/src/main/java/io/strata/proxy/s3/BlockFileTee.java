package io.strata.proxy.s3;

import io.netty.buffer.ByteBuf;
import io.strata.cache.BlockWriter;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk side of one cold fill: writes the fill's chunks into their block files and commits
 * the blocks on a writer pool, in order, while the request thread goes on reading the upstream
 * and sending to the client. Without it, every chunk waited for its file write before
 * the next was read, so network and disk never overlapped (docs/performance.md, cold reads).
 *
 * <p>Memory stays bounded: at most {@link #MAX_QUEUED} chunks of a fill wait for the disk; the
 * request thread blocks for room beyond that. A failed write or commit aborts that fill's cached
 * blocks and never the client's response: a cache failure never fails a request.
 *
 * <p>Only the request thread calls {@link #write}, {@link #commit} and {@link #finish}.
 */
final class BlockFileTee {

  private static final Logger log = LoggerFactory.getLogger(BlockFileTee.class);

  /** Chunks (256 KiB each, BlockStreamer) a fill may have waiting for the disk: 1 MiB per connection. */
  static final int MAX_QUEUED = 4;

  private final Executor writers;
  private final Semaphore room = new Semaphore(MAX_QUEUED);
  /** The last queued step; each step runs after the one before it. */
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
  /** The first disk failure; once set, later writes are skipped and blocks are aborted. */
  private volatile Throwable failure;

  BlockFileTee(Executor writers) {
    this.writers = writers;
  }

  /** Queues {@code chunk}'s readable bytes for {@code writer}, taking ownership of {@code chunk}. */
  void write(BlockWriter writer, ByteBuf chunk) throws IOException {
    try {
      room.acquire();
    } catch (InterruptedException e) {
      chunk.release();
      Thread.currentThread().interrupt();
      throw new NettyResponse.ClientGoneException();
    }
    tail = tail.thenRunAsync(() -> {
      try {
        if (failure == null) {
          writer.write(chunk.nioBuffer());
        }
      } catch (IOException | RuntimeException e) {
        fail(writer, e);
      } finally {
        chunk.release();
        room.release();
      }
    }, writers);
  }

  /** Queues the commit of {@code writer}'s block, after its bytes; aborts it if a write failed. */
  void commit(BlockWriter writer) {
    tail = tail.thenRunAsync(() -> {
      try {
        if (failure == null) {
          writer.commit();
        } else {
          writer.close();
        }
      } catch (IOException | RuntimeException e) {
        fail(writer, e);
      }
    }, writers);
  }

  /** Waits until every queued write and commit has run. */
  void finish() {
    tail.join();
  }

  private void fail(BlockWriter writer, Exception e) {
    if (failure == null) {
      failure = e;
      log.warn("caching block {} of s3://{}/{} failed, the client is served anyway: {}", writer.key().index(),
          writer.key().bucket(), writer.key().key(), e.toString());
    }
    writer.close(); // aborts: nothing partial becomes visible
  }
}
