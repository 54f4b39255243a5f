package io.strata.proxy.s3;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.strata.cache.ObjectVersion;
import io.strata.cache.uploads.PendingUpload;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Serves a queued write back to readers before it reaches the upstream: a queued PUT is read from
 * its data file, a queued DELETE reads as {@code NoSuchKey}.
 */
@Singleton
final class PendingReads {

  /** The {@code x-strata-cache} value of bytes that exist only in Strata's upload queue. */
  static final String PENDING = "pending";

  /** A queued PUT opened for reading; the open channel outlives a flush that deletes the file. */
  static final class Opened implements GetObject.Source, AutoCloseable {
    private final ObjectVersion version;
    private final FileChannel channel;
    private boolean handedOff;

    Opened(ObjectVersion version, FileChannel channel) {
      this.version = version;
      this.channel = channel;
    }

    ObjectVersion version() {
      return version;
    }

    @Override
    public String describe(ObjectVersion v, ByteRange range, boolean stale) {
      return PENDING;
    }

    @Override
    public void stream(
        ObjectVersion v, ByteRange range, boolean stale, HttpResponseStatus status, HttpHeaders headers,
        NettyResponse response) throws IOException {
      headers.set(GetObject.CACHE_HEADER, PENDING);
      response.sendHeaders(status, headers);
      handedOff = true; // the response closes the channel once the region is written
      response.writeFile(channel, range.first(), range.length());
      response.finish();
    }

    @Override
    public void close() throws IOException {
      if (!handedOff) {
        channel.close();
      }
    }
  }

  /**
   * Opens a queued write for reading; empty when its file is gone because it was just delivered
   * (the cache holds it then).
   */
  Optional<Opened> open(PendingUpload queued) throws IOException {
    if (queued.isDelete()) {
      throw new S3Exception(S3ErrorCode.NO_SUCH_KEY).with("BucketName", queued.bucket()).with("Key", queued.key());
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(queued.dataFile(), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    ObjectVersion version =
        new ObjectVersion(
            queued.bucket(),
            queued.key(),
            queued.etag(),
            queued.size(),
            queued.createdAt(),
            queued.contentType(),
            queued.userMetadata(),
            queued.createdAt());
    return Optional.of(new Opened(version, channel));
  }
}
