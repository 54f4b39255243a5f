package io.strata.proxy.s3.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestBodyStreamTest {

  /** Plays the event loop: one thread, like Netty's. */
  private final ExecutorService eventLoop = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopEventLoop() throws InterruptedException {
    eventLoop.shutdownNow();
    assertThat(eventLoop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void read_producerOnDemand_requestsOnlyWhenDrainedAndDeliversAllBytes() throws Exception {
    byte[] payload = SdkCaptures.randomBytes(1 << 20, 3);
    int socketRead = 10_000; // bytes one channel.read() yields, as 2 HttpContent chunks
    AtomicInteger position = new AtomicInteger();
    AtomicInteger requests = new AtomicInteger();
    List<ByteBuf> offered = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<RequestBodyStream> body = new AtomicReference<>();
    // Netty coalesces read() calls made before the socket is read: OP_READ is just set again.
    java.util.concurrent.atomic.AtomicBoolean readPending = new java.util.concurrent.atomic.AtomicBoolean();
    body.set(new RequestBodyStream(() -> {
      requests.incrementAndGet();
      if (!readPending.compareAndSet(false, true)) {
        return;
      }
      eventLoop.execute(() -> { // channel.read(): the decoder fires one or more contents
        readPending.set(false);
        int from = position.get();
        if (from >= payload.length) {
          body.get().end();
          return;
        }
        int to = Math.min(payload.length, from + socketRead);
        int mid = (from + to) / 2;
        for (int[] range : new int[][] {{from, mid}, {mid, to}}) {
          ByteBuf chunk = Unpooled.copiedBuffer(payload, range[0], range[1] - range[0]);
          offered.add(chunk);
          body.get().offer(chunk);
        }
        position.set(to);
      });
    }));

    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[3_333]; // not aligned with the chunks
    try (RequestBodyStream in = body.get()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        received.write(buffer, 0, n);
        // Bounded: a reader that drains the first content of a read may ask again before the
        // second arrives, so at most two socket reads' worth is ever buffered.
        assertThat(in.bufferedChunks()).isLessThanOrEqualTo(4);
      }
    }

    assertThat(received.toByteArray()).isEqualTo(payload);
    // At least one request per socket read plus the one that found the end; a few more when the
    // reader drained the first content of a read before the second arrived.
    int reads = (payload.length + socketRead - 1) / socketRead;
    assertThat(requests.get()).isBetween(reads + 1, 2 * reads + 2);
    assertThat(offered).allSatisfy(chunk -> assertThat(chunk.refCnt()).isZero());
  }

  @Test
  void read_nothingArrives_requestTimeout() {
    AtomicInteger requests = new AtomicInteger();
    RequestBodyStream in = new RequestBodyStream(requests::incrementAndGet, Duration.ofMillis(50));

    long start = System.nanoTime();
    assertThatThrownBy(in::read).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.code()).isEqualTo(S3ErrorCode.REQUEST_TIMEOUT);
      assertThat(e.getMessage()).isEqualTo("Your socket connection to the server was not read from"
          + " or written to within the timeout period.");
    });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    assertThat(requests.get()).isEqualTo(1);
  }

  @Test
  void read_dataBeforeTimeout_noTimeout() throws Exception {
    RequestBodyStream in = new RequestBodyStream(() -> {}, Duration.ofSeconds(5));
    eventLoop.execute(() -> {
      sleep(30);
      in.offer(Unpooled.wrappedBuffer(new byte[] {42}));
      in.end();
    });
    assertThat(in.read()).isEqualTo(42);
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void read_failedBeforeEnd_ioExceptionAfterBufferedData() throws Exception {
    RequestBodyStream in = new RequestBodyStream(() -> {});
    in.offer(Unpooled.wrappedBuffer(new byte[] {1, 2}));
    in.fail(new IOException("connection reset"));

    assertThat(in.readNBytes(2)).containsExactly(1, 2);
    assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("connection reset");
  }

  @Test
  void read_failureWakesBlockedReader() throws Exception {
    AtomicReference<RequestBodyStream> body = new AtomicReference<>();
    body.set(new RequestBodyStream(
        () -> eventLoop.execute(() -> body.get().fail(new IOException("closed")))));
    assertThatThrownBy(body.get()::read).isInstanceOf(IOException.class).hasMessageContaining("closed");
  }

  @Test
  void fail_afterEnd_ignored() throws Exception {
    RequestBodyStream in = new RequestBodyStream(() -> {});
    in.offer(Unpooled.wrappedBuffer(new byte[] {7}));
    in.end();
    in.fail(new IOException("closed after the last byte"));
    assertThat(in.readAllBytes()).containsExactly(7);
  }

  @Test
  void close_releasesBufferedAndLaterChunks() {
    RequestBodyStream in = new RequestBodyStream(() -> {});
    ByteBuf buffered = Unpooled.buffer().writeBytes(new byte[10]);
    in.offer(buffered);
    in.close();
    ByteBuf late = Unpooled.buffer().writeBytes(new byte[10]);
    in.offer(late);

    assertThat(buffered.refCnt()).isZero();
    assertThat(late.refCnt()).isZero();
    assertThatThrownBy(in::read).isInstanceOf(IOException.class);
  }

  @Test
  void read_emptyChunks_skipped() throws Exception {
    RequestBodyStream in = new RequestBodyStream(() -> {});
    ByteBuf empty = Unpooled.buffer(0);
    in.offer(empty);
    in.offer(Unpooled.wrappedBuffer(new byte[] {5}));
    in.end();
    assertThat(in.readAllBytes()).containsExactly(5);
    assertThat(empty.refCnt()).isZero();
  }

  @Test
  void read_interrupted_interruptedIoException() {
    RequestBodyStream in = new RequestBodyStream(() -> {});
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(in::read).isInstanceOf(java.io.InterruptedIOException.class);
      assertThat(Thread.interrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void constructor_zeroTimeout_rejected() {
    assertThatThrownBy(() -> new RequestBodyStream(() -> {}, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idleTimeout: PT0S (expected: > 0)");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
