package io.strata.cache.store;

import io.strata.cache.BlockKey;
import io.strata.cache.CachedBlock;
import java.io.IOException;
import java.nio.channels.FileChannel;

/** A verified block file, open for absolute-position reads. */
record DiskCachedBlock(BlockKey key, FileChannel channel, long length) implements CachedBlock {

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
