package io.strata.proxy.s3;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The clocks that stop a client from holding a connection without using it. First in the
 * pipeline, so it sees raw bytes in and out; {@link S3Handler} tells it when a request starts and
 * when its response is complete. Everything runs on the channel's event loop: a periodic tick
 * compares the time against the limits, nothing ever blocks.
 *
 * <ul>
 *   <li><b>Head</b>: a new connection must deliver its first request head within {@code head} of
 *       connecting, and a later request within {@code head} of its first byte (slow-loris). A
 *       connection that sent part of a head is sent {@link #HEAD_TIMED_OUT}, which the handler
 *       answers with {@code 400 RequestTimeout} before closing; one that sent nothing is closed.
 *   <li><b>Idle</b>: a kept-alive connection with no byte of a next request for {@code idle} is
 *       closed (RFC 9112 §9.3 lets a server close idle connections at any time).
 *   <li><b>Write</b>: while response bytes wait in the outbound buffer, the client must take some
 *       of them within {@code write}; one that stopped reading is disconnected, which frees the
 *       worker blocked on the channel's writability and the file regions queued behind it. Progress
 *       is counted as IdleStateHandler's {@code observeOutput} does, so a slow reader that keeps
 *       reading is never cut off.
 * </ul>
 *
 * <p>A stalled request body is not timed here: only the worker knows when it waits for bytes, so
 * {@link io.strata.proxy.s3.body.RequestBodyStream} times that wait itself.
 */
final class ConnectionTimeouts extends ChannelDuplexHandler {

  /** User event fired inbound when a request head did not arrive whole in time. */
  static final Object HEAD_TIMED_OUT = new Object() {
    @Override
    public String toString() {
      return "HEAD_TIMED_OUT";
    }
  };

  /** The limits; each must be positive. */
  record Limits(Duration head, Duration idle, Duration write) {
    Limits {
      requirePositive(head, "head");
      requirePositive(idle, "idle");
      requirePositive(write, "write");
    }

    private static void requirePositive(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
      }
    }

    /** How often the clocks are read: a quarter of the shortest limit, between 10 ms and 1 s. */
    long tickNanos() {
      long shortest = Math.min(head.toNanos(), Math.min(idle.toNanos(), write.toNanos()));
      return Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), shortest / 4));
    }
  }

  private final long headNanos;
  private final long idleNanos;
  private final long writeNanos;
  private final long tickNanos;

  // Event loop only, like every field below.
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> tick;
  /** Between a request head's arrival and the end of its response. */
  private boolean inRequest;
  /** No request has started on this connection yet. */
  private boolean fresh = true;
  /** When waiting for a request began: connect, or the end of the last response. */
  private long waitingSince;
  /** Bytes of the next request head have arrived. */
  private boolean headStarted;
  /** When the head's clock started: connect for a fresh connection, else its first byte. */
  private long headSince;
  private boolean headTimedOut;
  private Object lastCurrent;
  private long lastProgress;
  private long lastPending;
  private long lastWriteProgressAt;

  ConnectionTimeouts(Limits limits) {
    this.headNanos = limits.head().toNanos();
    this.idleNanos = limits.idle().toNanos();
    this.writeNanos = limits.write().toNanos();
    this.tickNanos = limits.tickNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      start();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start();
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (!inRequest && !headStarted && msg instanceof ByteBuf bytes && bytes.isReadable()) {
      headStarted = true;
      if (!fresh) {
        headSince = now();
      }
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stop();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  /** A request head arrived whole; its body and response are timed elsewhere and by writes. */
  void requestStarted() {
    inRequest = true;
    fresh = false;
  }

  /** The response is complete and the connection stays open for the next request. */
  void awaitingRequest() {
    inRequest = false;
    headStarted = false;
    headTimedOut = false;
    waitingSince = now();
  }

  private void start() {
    if (tick != null) {
      return;
    }
    long now = now();
    waitingSince = now;
    headSince = now;
    lastWriteProgressAt = now;
    tick = ctx.executor().scheduleAtFixedRate(this::check, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
  }

  private void stop() {
    if (tick != null) {
      tick.cancel(false);
    }
  }

  private void check() {
    if (!ctx.channel().isActive()) {
      stop();
      return;
    }
    long now = now();
    if (writeStalled(now)) {
      ctx.close();
      return;
    }
    if (inRequest || headTimedOut) {
      return;
    }
    if (headStarted && now - headSince >= headNanos) {
      headTimedOut = true;
      ctx.fireUserEventTriggered(HEAD_TIMED_OUT);
    } else if (!headStarted && now - waitingSince >= (fresh ? headNanos : idleNanos)) {
      ctx.close();
    }
  }

  /** Whether bytes have waited in the outbound buffer for the write limit without any leaving. */
  private boolean writeStalled(long now) {
    ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
    if (buffer == null) {
      return false;
    }
    long pending = buffer.totalPendingWriteBytes();
    Object current = buffer.current();
    long progress = buffer.currentProgress();
    if (pending == 0 || current != lastCurrent || progress != lastProgress || pending != lastPending) {
      lastCurrent = pending == 0 ? null : current;
      lastProgress = progress;
      lastPending = pending;
      lastWriteProgressAt = now;
      return false;
    }
    return now - lastWriteProgressAt >= writeNanos;
  }

  private long now() {
    return ctx.executor().ticker().nanoTime();
  }
}
