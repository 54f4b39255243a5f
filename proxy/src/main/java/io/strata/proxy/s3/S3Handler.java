package io.strata.proxy.s3;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.strata.proxy.s3.body.RequestBodyStream;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-loop side of a connection: it hands each request to a worker thread and stops
 * reading from the socket until the response is complete, so requests on one connection are
 * answered in order and no blocking work ever runs on the event loop. A request body is passed on
 * as a {@link RequestBodyStream} that reads from the socket only as fast as the worker consumes it.
 */
final class S3Handler extends SimpleChannelInboundHandler<HttpObject> {

  private static final Logger log = LoggerFactory.getLogger(S3Handler.class);
  /** Pipelined messages held while a request is answered: one socket read's worth, normally. */
  private static final int MAX_BACKLOG = 4096;

  private final S3Dispatcher dispatcher;
  private final Executor workers;
  private final ConnectionTimeouts timeouts;
  /** Connections with a response not yet fully sent (shared: a stop waits for it to empty). */
  private final java.util.Set<io.netty.channel.Channel> answering;
  /** How long a worker waits for more of a request body before failing it with RequestTimeout. */
  private final Duration bodyTimeout;
  private volatile NettyResponse current;
  /** Whether a request is being answered. Event loop only. */
  private boolean inFlight;
  /** Requests (and their content) that arrived while another was answered. Event loop only. */
  private final ArrayDeque<HttpObject> backlog = new ArrayDeque<>();
  /** The body of the request being read, until its last chunk arrived. Event loop only. */
  private RequestBodyStream currentBody;
  /** Whether the current request's body was read to its end. */
  private AtomicBoolean bodyEnded = new AtomicBoolean(true);

  S3Handler(S3Dispatcher dispatcher, Executor workers, ConnectionTimeouts timeouts, Duration bodyTimeout,
      java.util.Set<io.netty.channel.Channel> answering) {
    this.dispatcher = dispatcher;
    this.answering = answering;
    this.workers = workers;
    this.timeouts = timeouts;
    this.bodyTimeout = bodyTimeout;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
    // HTTP/1.1 pipelining (RFC 9112 §9.3.2): the decoder hands over every request already read;
    // one arriving while another is answered waits, so responses go out in request order.
    if (!backlog.isEmpty() || (inFlight && msg instanceof HttpRequest)) {
      if (backlog.size() >= MAX_BACKLOG) {
        ctx.close();
        return;
      }
      backlog.add(ReferenceCountUtil.retain(msg));
      return;
    }
    route(ctx, msg);
  }

  private void route(ChannelHandlerContext ctx, HttpObject msg) {
    if (msg instanceof HttpRequest request) {
      startRequest(ctx, request);
    } else if (msg instanceof HttpContent content) {
      RequestBodyStream body = currentBody;
      if (body == null) {
        return; // no body expected, or the operation already stopped reading it
      }
      if (content.decoderResult().isFailure()) {
        // Broken chunked framing: the body did not end, so the connection closes after the answer.
        body.fail(new S3Exception(S3ErrorCode.INVALID_REQUEST, "The chunked request body is malformed"));
        currentBody = null;
        return;
      }
      body.offer(content.content().retain());
      if (content instanceof LastHttpContent) {
        body.end();
        bodyEnded.set(true);
        currentBody = null;
      }
    }
  }

  private void startRequest(ChannelHandlerContext ctx, HttpRequest request) {
    inFlight = true;
    answering.add(ctx.channel());
    timeouts.requestStarted();
    String requestId = RequestIds.next();
    // The socket is read on demand from here on: by the body's reader, or after the response.
    ctx.channel().config().setAutoRead(false);
    S3Exception refused = RequestFraming.check(request);
    if (refused != null) {
      boolean head = request.decoderResult().isSuccess() && HttpMethod.HEAD.equals(request.method());
      answerAndClose(ctx, requestId, refused, head);
      return;
    }
    boolean hasBody =
        HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
    // HTTP/1.0 framing is the loose kind (Netty keeps the first of two Content-Lengths there), so
    // such a connection never carries a second request that could be read differently.
    boolean keepAliveRequested = HttpUtil.isKeepAlive(request) && request.protocolVersion().equals(HttpVersion.HTTP_1_1);
    AtomicBoolean ended = new AtomicBoolean(!hasBody);
    bodyEnded = ended;
    RequestBodyStream body = hasBody ? new RequestBodyStream(bodyDemand(ctx, request), bodyTimeout) : null;
    currentBody = body;
    NettyResponse response =
        new NettyResponse(
            ctx.channel(),
            requestId,
            // A body not read to its end would be parsed as the next request: close instead.
            () -> keepAliveRequested && ended.get(),
            () -> ctx.channel().eventLoop().execute(() -> completed(ctx, body)));
    current = response;
    Map<String, String> headers = new TreeMap<>();
    // A repeated header is one value joined with commas, as SigV4 signs it (RFC 9110 §5.3).
    request.headers().forEach(e ->
        headers.merge(e.getKey().toLowerCase(Locale.ROOT), e.getValue(), (a, b) -> a + "," + b));
    String method = request.method().name();
    String uri = request.uri();
    try {
      workers.execute(
          () -> dispatcher.dispatch(method, uri, headers, body, requestId, response));
    } catch (RejectedExecutionException e) {
      dispatcher.rejectBusy(method, requestId, response);
    }
  }

  /**
   * Answers on the event loop, without a worker, and closes: after a framing error or a timed-out
   * head nothing later on the connection can be trusted to start a request.
   */
  private void answerAndClose(ChannelHandlerContext ctx, String requestId, S3Exception error, boolean head) {
    bodyEnded = new AtomicBoolean(false);
    currentBody = null;
    NettyResponse response =
        new NettyResponse(
            ctx.channel(), requestId, () -> false, () -> ctx.channel().eventLoop().execute(() -> completed(ctx, null)));
    current = response;
    response.sendError(error, null, head);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == ConnectionTimeouts.HEAD_TIMED_OUT) {
      if (inFlight) {
        ctx.close();
        return;
      }
      inFlight = true;
      ctx.channel().config().setAutoRead(false);
      answerAndClose(ctx, RequestIds.next(), new S3Exception(S3ErrorCode.REQUEST_TIMEOUT), /* head= */ false);
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  /**
   * What the body's reader calls when it wants more bytes. For {@code Expect: 100-continue} the
   * first call sends {@code 100 Continue}: only an operation that reads the body invites it, so a
   * request refused early (a full queue, a bad key) is answered before its body is sent
   * (RFC 9110 §10.1.1).
   */
  private static Runnable bodyDemand(ChannelHandlerContext ctx, HttpRequest request) {
    AtomicBoolean invite = new AtomicBoolean(HttpUtil.is100ContinueExpected(request));
    return () -> ctx.channel().eventLoop().execute(() -> {
      if (invite.getAndSet(false)) {
        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
      }
      ctx.read();
    });
  }

  /** Event loop: the response is complete; answer the next pipelined request or read again. */
  private void completed(ChannelHandlerContext ctx, RequestBodyStream body) {
    inFlight = false;
    answering.remove(ctx.channel());
    current = null;
    if (body != null) {
      body.close();
    }
    if (!ctx.channel().isActive()) {
      releaseBacklog();
      return;
    }
    while (!backlog.isEmpty() && !(inFlight && backlog.peek() instanceof HttpRequest)) {
      HttpObject next = backlog.poll();
      try {
        route(ctx, next);
      } finally {
        ReferenceCountUtil.release(next);
      }
    }
    if (!inFlight) {
      timeouts.awaitingRequest();
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void releaseBacklog() {
    HttpObject next;
    while ((next = backlog.poll()) != null) {
      ReferenceCountUtil.release(next);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    NettyResponse response = current;
    if (response != null) {
      response.writabilityChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    answering.remove(ctx.channel());
    releaseBacklog();
    RequestBodyStream body = currentBody;
    if (body != null) {
      // An S3 error, not an IOException: the worker's answer goes nowhere, but a client that
      // hangs up mid-upload is routine and must not log a stack trace each time.
      body.fail(new S3Exception(S3ErrorCode.INCOMPLETE_BODY, "The client closed the connection before the end of the body"));
      currentBody = null;
    }
    NettyResponse response = current;
    if (response != null) {
      response.writabilityChanged(); // wakes a writer waiting on a dead channel
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
