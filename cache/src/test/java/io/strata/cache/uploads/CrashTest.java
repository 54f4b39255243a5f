package io.strata.cache.uploads;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Kills a child JVM (SIGKILL) while it queues writes, then reopens: every write it acknowledged
 * must be there with identical bytes, and recovery leaves no temp or unreferenced files (the
 * invariants of {@link QueueTestSupport}). After Kafka's recovery-after-unclean-shutdown tests.
 */
class CrashTest extends QueueTestSupport {

  private static final int ROUNDS = 20;

  record Ack(long id, String md5, String key) {}

  @Test
  void enqueuePut_killedAtRandomMoments_everyAcknowledgedWriteSurvives() throws Exception {
    Random random = new Random(42);
    List<Ack> acked = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      acked.addAll(runAndKill(round, 1 + random.nextInt(25)));

      open(LARGE);
      for (Ack ack : acked) {
        PendingUpload row = queue.latest("crash", ack.key()).orElseThrow(
            () -> new AssertionError("acknowledged write lost: " + ack));
        assertThat(row.id()).isEqualTo(ack.id());
        assertThat(row.state()).isEqualTo(UploadState.PENDING);
        assertThat(md5(row.dataFile())).as(ack.key()).isEqualTo(ack.md5());
      }
      assertInvariants();
      queue.close();
      queue = null;
    }
    assertThat(acked.size()).isGreaterThanOrEqualTo(ROUNDS);
    open(LARGE);
  }

  /** Starts a child, kills it once it has acknowledged {@code killAfter} writes; its acks. */
  private List<Ack> runAndKill(int round, int killAfter) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CrashChild.class.getName(), dir.toString(), Integer.toString(round))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    LinkedBlockingQueue<Ack> acks = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          String[] f = line.split(" ");
          if (f.length == 4 && f[0].equals("ACK")) {
            acks.add(new Ack(Long.parseLong(f[1]), f[2], f[3]));
          }
        }
      } catch (Exception e) {
        // the pipe breaks when the child is killed
      }
    });
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (acks.size() < killAfter && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(child.isAlive()).as("child still running").isTrue();
    child.destroyForcibly();
    child.waitFor();
    reader.join();
    return new ArrayList<>(acks);
  }

  private static String md5(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
  }
}
