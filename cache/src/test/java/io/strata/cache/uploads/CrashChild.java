package io.strata.cache.uploads;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Run in a child JVM by {@link CrashTest}: queues writes forever, printing {@code ACK id md5 key}
 * after each enqueue returns, until the parent kills it.
 */
public final class CrashChild {

  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int round = Integer.parseInt(args[1]);
    Random random = new Random(round);
    try (UploadQueue queue = UploadQueue.open(new UploadQueueConfig(dir, 1L << 40, Clock.systemUTC()))) {
      for (int i = 0; ; i++) {
        byte[] bytes = new byte[random.nextInt(64 * 1024)];
        random.nextBytes(bytes);
        String key = "r" + round + "/" + i;
        StagedFile body;
        try (StagedBody staged = queue.stage()) {
          // Several writes, as a request body arrives in chunks.
          int half = bytes.length / 2;
          staged.write(ByteBuffer.wrap(bytes, 0, half));
          staged.write(ByteBuffer.wrap(bytes, half, bytes.length - half));
          body = staged.commit();
        }
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        PendingUpload queued = queue.enqueuePut(new PutRequest("crash", key, body, "\"" + md5 + "\"",
            null, null, null, Map.of(), List.of(), null));
        System.out.println("ACK " + queued.id() + " " + md5 + " " + key);
        System.out.flush();
      }
    }
  }
}
