package io.strata.cache.store;

import io.strata.cache.BlockKey;
import io.strata.cache.CachedBlock;
import io.strata.cache.policy.BlockUsage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A verified block file, open for absolute-position reads. While open, its block counts as being
 * read and is not evicted. Closing twice is harmless (a zero-copy transfer closes the channel and
 * then the block).
 */
final class DiskCachedBlock implements CachedBlock {

  private final BlockKey key;
  private final BlockUsage usage;
  private final FileChannel channel;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** The caller has called {@link BlockUsage#beginRead()}; {@link #close()} ends the read. */
  DiskCachedBlock(BlockKey key, BlockUsage usage, FileChannel channel) {
    this.key = key;
    this.usage = usage;
    this.channel = channel;
  }

  @Override
  public BlockKey key() {
    return key;
  }

  @Override
  public FileChannel channel() {
    return channel;
  }

  @Override
  public long length() {
    return usage.length();
  }

  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true)) {
      try {
        channel.close();
      } finally {
        usage.endRead();
      }
    }
  }
}
