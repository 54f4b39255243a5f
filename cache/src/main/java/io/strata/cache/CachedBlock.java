package io.strata.cache;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * An open, verified block file. The channel stays readable even if the block is evicted while it
 * is being served (an unlinked file lives on while open), so callers may hand it to a zero-copy
 * transfer and close it when the transfer ends.
 */
public interface CachedBlock extends Closeable {

  BlockKey key();

  /** The block's bytes are {@code [0, length)} of this channel. */
  FileChannel channel();

  long length();

  @Override
  void close() throws IOException;
}
