package io.strata.cache.uploads;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A request body being written to a temporary file under the queue's directory. Nothing about it
 * is durable or visible until {@link #commit()}; closing without a commit deletes the file.
 */
public interface StagedBody extends Closeable {

  /** Appends the remaining bytes of {@code bytes}. */
  void write(ByteBuffer bytes) throws IOException;

  /** Bytes written so far. */
  long size();

  /** Forces the file and its directory to disk and moves it into the queue's data directory. */
  StagedFile commit() throws IOException;

  /** Deletes the file unless committed. Never throws. */
  @Override
  void close();
}
