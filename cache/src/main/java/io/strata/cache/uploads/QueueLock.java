package io.strata.cache.uploads;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on the queue directory. Two processes sharing one queue would delete each
 * other's staged bodies as leftovers at startup, so the second one fails to open instead. (A copy
 * of the block store's {@code DirectoryLock}, which is package-private there.)
 */
final class QueueLock implements Closeable {

  private final FileChannel channel;
  private final FileLock lock;

  private QueueLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static QueueLock acquire(Path file) throws IOException {
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IOException(file.getParent() + " is in use by another process");
      }
      return new QueueLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      channel.close();
      throw new IOException(file.getParent() + " is already open in this process", e);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
