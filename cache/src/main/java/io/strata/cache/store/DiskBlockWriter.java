package io.strata.cache.store;

import static java.util.Objects.requireNonNull;

import io.strata.cache.BlockKey;
import io.strata.cache.BlockWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

/**
 * Fills one block into its temp file, computing the CRC32C as bytes arrive so the commit does not
 * read the file again. Synchronized so a connection-close callback may {@link #close()} it from
 * another thread while the filling thread writes.
 */
final class DiskBlockWriter implements BlockWriter {

  private enum State { OPEN, COMMITTED, ABORTED }

  private final DiskBlockCache cache;
  private final BlockKey key;
  private final long length;
  private final Path temp;
  private final FileChannel channel;
  private final CompletableFuture<Void> claim;
  private final CRC32C crc = new CRC32C();

  /** Guarded by {@code this}. */
  private long written;
  /** Guarded by {@code this}. */
  private State state = State.OPEN;

  private DiskBlockWriter(
      DiskBlockCache cache, BlockKey key, long length, Path temp, FileChannel channel,
      CompletableFuture<Void> claim) {
    this.cache = cache;
    this.key = key;
    this.length = length;
    this.temp = temp;
    this.channel = channel;
    this.claim = claim;
  }

  /** Opens the temp file. The caller holds {@code claim} and releases it if this throws. */
  static DiskBlockWriter create(
      DiskBlockCache cache, BlockKey key, long length, Path temp, CompletableFuture<Void> claim)
      throws IOException {
    Files.createDirectories(temp.getParent());
    // TRUNCATE_EXISTING, not CREATE_NEW: a stale temp file can only be one this process
    // abandoned (startup deletes the others) and the claim makes this fill its only writer.
    FileChannel channel = FileChannel.open(temp,
        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    return new DiskBlockWriter(cache, key, length, temp, channel, claim);
  }

  @Override
  public BlockKey key() {
    return key;
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public synchronized void write(ByteBuffer bytes) throws IOException {
    requireNonNull(bytes, "bytes");
    checkOpen();
    int n = bytes.remaining();
    if (written + n > length) {
      abort();
      throw new IOException(
          "write: " + (written + n) + " bytes (expected: <= " + length + ") for " + key);
    }
    ByteBuffer view = bytes.duplicate();
    try {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    }
    crc.update(view);
    written += n;
  }

  @Override
  public synchronized void commit() throws IOException {
    checkOpen();
    if (written != length) {
      abort();
      throw new IOException(
          "commit: " + written + " bytes written (expected: " + length + ") for " + key);
    }
    try {
      // No force(): the cache promises no durability, a torn block fails its CRC on read.
      // The rename comes after every byte was written, and the metadata row after the rename.
      channel.close();
      cache.publish(key, temp, length, crc.getValue());
      state = State.COMMITTED;
      cache.releaseFill(key, claim);
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    }
  }

  @Override
  public synchronized void close() {
    if (state == State.OPEN) {
      abort();
    }
  }

  private void checkOpen() {
    if (state != State.OPEN) {
      throw new IllegalStateException("writer for " + key + " is " + state.name().toLowerCase());
    }
  }

  private void abort() {
    state = State.ABORTED;
    try {
      channel.close();
    } catch (IOException ignored) {
      // Deleting the file below is what matters.
    }
    cache.deleteQuietly(temp);
    cache.releaseFill(key, claim);
  }
}
