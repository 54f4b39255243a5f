package io.strata.proxy.uploads;

import io.strata.cache.BlockCache;
import io.strata.cache.BlockLayout;
import io.strata.cache.BlockWriter;
import io.strata.cache.ObjectVersion;
import io.strata.cache.uploads.PendingUpload;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a queued PUT reached the upstream, its bytes become ordinary cache blocks of the new
 * version, so nobody downloads what Strata just uploaded, and the boundaries of its parts are
 * kept, so {@code GET ?partNumber=} is served even where the upstream cannot tell them. A failure
 * here only costs a later download: it never fails the flush.
 */
@Singleton
final class CacheAdopter {

  private static final Logger log = LoggerFactory.getLogger(CacheAdopter.class);

  private final BlockCache cache;

  CacheAdopter(BlockCache cache) {
    this.cache = cache;
  }

  /** @param partSizes the sizes of the parts it was delivered in (empty: one PUT) */
  void adopt(PendingUpload write, ObjectVersion version, List<Long> partSizes) {
    cache.recordObject(version);
    if (!partSizes.isEmpty()) {
      cache.partBoundaries().recordSizes(version, partSizes);
    }
    BlockLayout layout = cache.layout(version.size());
    try (FileChannel file = FileChannel.open(write.dataFile(), StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
      for (int i = 0; i < layout.blockCount(); i++) {
        Optional<BlockWriter> claimed = cache.tryStartFill(version.block(i), layout.length(i));
        if (claimed.isEmpty()) {
          continue; // cached already, or a reader is fetching it
        }
        try (BlockWriter writer = claimed.get()) {
          long position = layout.start(i);
          long end = layout.end(i);
          while (position < end) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
            int n = file.read(buffer, position);
            if (n < 0) {
              throw new IOException("queued body ends at " + position + " of " + version.size());
            }
            buffer.flip();
            writer.write(buffer);
            position += n;
          }
          writer.commit();
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("could not keep the uploaded bytes of s3://{}/{} in the cache: {}", version.bucket(), version.key(), e.toString());
    }
  }

  void forget(String bucket, String key) {
    cache.forgetObject(bucket, key);
  }
}
