package io.strata.cache;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes one block to a temporary file. The block becomes visible to readers only on
 * {@link #commit()}, after the whole length was written (temp file, rename, then metadata row).
 * Closing without a commit aborts: the temporary file is deleted and nothing is recorded.
 * Either way, requests waiting on this fill ({@link BlockCache#fillDone}) are released.
 */
public interface BlockWriter extends Closeable {

  BlockKey key();

  /** Bytes this block must hold. */
  long length();

  /** Appends the remaining bytes of {@code bytes}; fails if that would exceed {@link #length()}. */
  void write(ByteBuffer bytes) throws IOException;

  /**
   * Makes the block visible. Fails (and aborts) unless exactly {@link #length()} bytes were
   * written. May evict least recently used blocks to stay under the cache's size cap.
   */
  void commit() throws IOException;

  /** Aborts unless committed. Never throws for a failed cleanup. */
  @Override
  void close();
}
