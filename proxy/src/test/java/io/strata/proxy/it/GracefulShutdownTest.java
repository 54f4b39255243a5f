package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.proxy.testing.TestSigner;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop while a download is in flight: Strata takes no new connections but finishes the response
 * it is sending, then closes cleanly (its clean-shutdown marker is written).
 */
class GracefulShutdownTest {

  @TempDir Path dir;

  @Test
  void stop_duringADownload_finishesTheResponse_thenMarksACleanShutdown() throws Exception {
    StrataHarness strata = new StrataHarness(dir);
    try {
      byte[] data = new byte[16 << 20];
      new Random(9).nextBytes(data);
      strata.put("drain/big.bin", data);
      strata.client().getObjectAsBytes(b -> b.bucket(StrataHarness.BUCKET).key("drain/big.bin")); // cached
      strata.assertCacheConsistent();
      URI uri = URI.create(strata.endpoint() + "/logs/drain/big.bin");
      StringBuilder head = new StringBuilder("GET /logs/drain/big.bin HTTP/1.1\r\nHost: " + uri.getAuthority() + "\r\n");
      TestSigner.HARNESS.sign("GET", uri, Map.of()).forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      head.append("\r\n");

      try (Socket socket = new Socket("127.0.0.1", uri.getPort())) {
        socket.setReceiveBufferSize(64 << 10);
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 << 10];
        while (received.size() < (1 << 20)) {
          received.write(buffer, 0, in.read(buffer));
        }
        Thread stopper = new Thread(strata::stopStrata, "stopper");
        stopper.start();
        Thread.sleep(1_000); // the client stalls while the stop begins: Strata must wait for it
        int n;
        while ((n = in.read(buffer)) > 0) {
          received.write(buffer, 0, n);
        }
        stopper.join(30_000);
        byte[] all = received.toByteArray();
        int bodyStart = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) + 4;
        assertThat(new String(all, 0, 12, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        assertThat(all.length - bodyStart).as("the whole body").isEqualTo(data.length);
        assertThat(Arrays.copyOfRange(all, bodyStart, all.length)).isEqualTo(data);
      }
      assertThat(Files.exists(dir.resolve("clean-shutdown"))).as("clean-shutdown marker").isTrue();
    } finally {
      strata.close();
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
