package io.strata.cache.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.zip.CRC32C;

/** Checks a block file against its recorded length and CRC32C before it is served. */
final class BlockVerifier {

  /** 64 KiB: large enough that reads are cheap per byte, small enough to keep one per thread. */
  private static final int BUFFER_SIZE = 64 * 1024;

  /** Direct, so the channel reads into it without an extra copy. One per request thread. */
  private static final ThreadLocal<ByteBuffer> BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER_SIZE));

  private BlockVerifier() {}

  /** What is wrong with the file behind {@code channel}, or empty if it matches. */
  static Optional<String> check(FileChannel channel, long length, long crc32c) throws IOException {
    long size = channel.size();
    if (size != length) {
      return Optional.of("size " + size + " (expected: " + length + ")");
    }
    CRC32C crc = new CRC32C();
    ByteBuffer buffer = BUFFER.get();
    long position = 0;
    while (position < length) {
      buffer.clear();
      int n = channel.read(buffer, position);
      if (n < 0) {
        return Optional.of("ends at " + position + " (expected: " + length + ")");
      }
      buffer.flip();
      crc.update(buffer);
      position += n;
    }
    if (crc.getValue() != crc32c) {
      return Optional.of(String.format("crc32c %08x (expected: %08x)", crc.getValue(), crc32c));
    }
    return Optional.empty();
  }
}
