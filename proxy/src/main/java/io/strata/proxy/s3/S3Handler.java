package io.strata.proxy.s3;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.strata.proxy.s3.body.RequestBodyStream;
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

  private final S3Dispatcher dispatcher;
  private final Executor workers;
  private volatile NettyResponse current;
  /** The body of the request being read, until its last chunk arrived. Event loop only. */
  private RequestBodyStream currentBody;
  /** Whether the current request's body was read to its end. */
  private AtomicBoolean bodyEnded = new AtomicBoolean(true);

  S3Handler(S3Dispatcher dispatcher, Executor workers) {
    this.dispatcher = dispatcher;
    this.workers = workers;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
    if (msg instanceof HttpRequest request) {
      startRequest(ctx, request);
    }
    if (msg instanceof HttpContent content) {
      RequestBodyStream body = currentBody;
      if (body == null) {
        return; // no body expected, or the operation already stopped reading it
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
    String requestId = RequestIds.next();
    boolean hasBody =
        HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
    boolean keepAliveRequested = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
    // The socket is read on demand from here on: by the body's reader, or after the response.
    ctx.channel().config().setAutoRead(false);
    AtomicBoolean ended = new AtomicBoolean(!hasBody);
    bodyEnded = ended;
    RequestBodyStream body =
        hasBody ? new RequestBodyStream(() -> ctx.channel().eventLoop().execute(ctx::read)) : null;
    currentBody = body;
    NettyResponse response =
        new NettyResponse(
            ctx.channel(),
            requestId,
            // A body not read to its end would be parsed as the next request: close instead.
            () -> keepAliveRequested && ended.get(),
            () -> {
              current = null;
              if (body != null) {
                body.close();
              }
              if (ctx.channel().isActive()) {
                ctx.channel().config().setAutoRead(true);
              }
            });
    current = response;
    Map<String, String> headers = new TreeMap<>();
    request.headers().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
    String method = request.method().name();
    String uri = request.uri();
    boolean badRequest = !request.decoderResult().isSuccess();
    try {
      workers.execute(
          () -> dispatcher.dispatch(method, uri, headers, body, requestId, badRequest, response));
    } catch (RejectedExecutionException e) {
      dispatcher.rejectBusy(method, requestId, response);
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
    RequestBodyStream body = currentBody;
    if (body != null) {
      body.fail(new java.io.IOException("the client closed the connection before the end of the body"));
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
