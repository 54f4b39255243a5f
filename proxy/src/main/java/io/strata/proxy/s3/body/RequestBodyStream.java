package io.strata.proxy.s3.body;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body handed from the event loop to a worker thread, with backpressure.
 *
 * <p>Flow control: the handler keeps {@code autoRead} off. The reader asks for more with
 * {@code requestMore} only when everything offered so far has been consumed, and at most once until
 * the next offer. With Netty coalescing {@code read()} calls made before the socket is read, the
 * buffer holds at most about two socket reads' worth of chunks (a reader that drains the first
 * content of one read may ask again before the rest of it arrives), however slow the reader is.
 *
 * <p>Concurrency: the event loop calls {@link #offer}, {@link #end} and {@link #fail}; one worker
 * reads; {@link #close} may come from either. Every field below is guarded by {@code lock}, which
 * is held only for queue updates and copies, never while calling {@code requestMore}.
 */
public final class RequestBodyStream extends InputStream {

  /** How long a read may wait for the client before S3 gives up on it. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  private final Runnable requestMore;
  private final long idleTimeoutNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  // guarded by lock
  private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
  // guarded by lock: true from requestMore() until the next offer/end/fail
  private boolean requested;
  // guarded by lock
  private boolean ended;
  // guarded by lock
  private Throwable failure;
  // guarded by lock
  private boolean closed;

  /**
   * @param requestMore called (from the reading thread) when the buffer is drained and more should
   *     be read from the socket; the caller wires it to {@code channel.read()}
   */
  public RequestBodyStream(Runnable requestMore) {
    this(requestMore, DEFAULT_IDLE_TIMEOUT);
  }

  public RequestBodyStream(Runnable requestMore, Duration idleTimeout) {
    this.requestMore = requireNonNull(requestMore, "requestMore");
    requireNonNull(idleTimeout, "idleTimeout");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
    }
    this.idleTimeoutNanos = idleTimeout.toNanos();
  }

  /** Event loop: appends a chunk (takes ownership; released when consumed or on close). */
  public void offer(ByteBuf chunk) {
    requireNonNull(chunk, "chunk");
    lock.lock();
    try {
      requested = false;
      if (closed || ended || failure != null) {
        chunk.release();
        return;
      }
      chunks.add(chunk);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Event loop: the body ended (LastHttpContent). */
  public void end() {
    lock.lock();
    try {
      requested = false;
      ended = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Event loop: the connection failed/closed before the end; readers get an IOException, or
   * {@code cause} itself when it is an {@link S3Exception}.
   */
  public void fail(Throwable cause) {
    requireNonNull(cause, "cause");
    lock.lock();
    try {
      requested = false;
      // A connection closing after the last byte arrived loses nothing: keep serving the data.
      if (!ended && failure == null) {
        failure = cause;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    long waited = 0;
    while (true) {
      boolean ask = false;
      lock.lock();
      try {
        if (closed) {
          throw new IOException("the request body stream is closed");
        }
        ByteBuf head = chunks.peek();
        while (head != null && !head.isReadable()) {
          chunks.poll().release();
          head = chunks.peek();
        }
        if (head != null) {
          int n = Math.min(len, head.readableBytes());
          head.readBytes(b, off, n);
          if (!head.isReadable()) {
            chunks.poll().release();
          }
          return n;
        }
        if (failure instanceof S3Exception answer) {
          throw answer; // the handler already knows what to tell the client (e.g. malformed chunks)
        }
        if (failure != null) {
          throw new IOException("the request body did not arrive whole: " + failure, failure);
        }
        if (ended) {
          return -1;
        }
        if (!requested) {
          requested = true;
          ask = true;
        } else {
          if (waited >= idleTimeoutNanos) {
            throw new S3Exception(S3ErrorCode.REQUEST_TIMEOUT);
          }
          long start = System.nanoTime();
          try {
            changed.awaitNanos(idleTimeoutNanos - waited);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the request body");
          }
          waited += System.nanoTime() - start;
        }
      } finally {
        lock.unlock();
      }
      if (ask) {
        // Outside the lock: the callback hops to the event loop, which may offer() right away.
        requestMore.run();
      }
    }
  }

  @Override
  public int available() {
    lock.lock();
    try {
      long total = 0;
      for (ByteBuf chunk : chunks) {
        total += chunk.readableBytes();
      }
      return (int) Math.min(Integer.MAX_VALUE, total);
    } finally {
      lock.unlock();
    }
  }

  /** Chunks currently buffered (for tests and metrics). */
  int bufferedChunks() {
    lock.lock();
    try {
      return chunks.size();
    } finally {
      lock.unlock();
    }
  }

  /** Releases buffered chunks; later offers are released at once. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      ByteBuf chunk;
      while ((chunk = chunks.poll()) != null) {
        chunk.release();
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "RequestBodyStream{chunks=" + chunks.size() + ", ended=" + ended + ", failed="
          + (failure != null) + ", closed=" + closed + ", timeout="
          + TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos) + "ms}";
    } finally {
      lock.unlock();
    }
  }
}
