package io.strata.cache.uploads;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A body written to {@code staging/UUID.tmp}, moved to {@code data/UUID.body} by {@link #commit}.
 * The committed file is not referenced by any row yet: if the process dies before the caller
 * queues it, the next open deletes it as an orphan (the write was never acknowledged).
 *
 * <p>Not thread-safe: one request writes one body.
 */
final class FileStagedBody implements StagedBody {

  private static final Logger log = LoggerFactory.getLogger(FileStagedBody.class);

  private final QueuePaths paths;
  private final Path temp;
  private final FileChannel channel;
  private long size;
  private boolean done;

  private FileStagedBody(QueuePaths paths, Path temp, FileChannel channel) {
    this.paths = paths;
    this.temp = temp;
    this.channel = channel;
  }

  static FileStagedBody create(QueuePaths paths) throws IOException {
    Path temp = paths.newTemp();
    FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new FileStagedBody(paths, temp, channel);
  }

  @Override
  public void write(ByteBuffer bytes) throws IOException {
    requireOpen();
    while (bytes.hasRemaining()) {
      size += channel.write(bytes);
    }
  }

  /** Appends the whole of {@code file} without copying it through the heap. */
  void append(Path file) throws IOException {
    requireOpen();
    try (FileChannel source = FileChannel.open(file, StandardOpenOption.READ)) {
      long length = source.size();
      long position = 0;
      while (position < length) {
        position += source.transferTo(position, length - position, channel);
      }
      size += length;
    }
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public StagedFile commit() throws IOException {
    requireOpen();
    done = true;
    Path body = paths.newBody();
    try {
      channel.force(true);
      channel.close();
      QueuePaths.moveDurably(temp, body);
      return new StagedFile(body, size);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temp);
      deleteQuietly(body);
      throw e;
    }
  }

  @Override
  public void close() {
    if (done) {
      return;
    }
    done = true;
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("Closing staged body {} failed", temp, e);
    }
    deleteQuietly(temp);
  }

  private void requireOpen() {
    if (done) {
      throw new IllegalStateException(
          "staged body " + temp.getFileName() + " is already committed or closed");
    }
  }

  static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Harmless: an unreferenced file is deleted by the next open.
      log.warn("Could not delete {}: {}", file, e.toString());
    }
  }
}
