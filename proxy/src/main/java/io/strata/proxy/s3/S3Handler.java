package io.strata.proxy.s3;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-loop side of a connection: it hands each request to a worker thread and stops
 * reading from the socket until the response is complete, so requests on one connection are
 * answered in order and no blocking work ever runs on the event loop.
 */
final class S3Handler extends SimpleChannelInboundHandler<HttpObject> {

  private static final Logger log = LoggerFactory.getLogger(S3Handler.class);

  private final S3Dispatcher dispatcher;
  private final Executor workers;
  private volatile NettyResponse current;

  S3Handler(S3Dispatcher dispatcher, Executor workers) {
    this.dispatcher = dispatcher;
    this.workers = workers;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
    if (!(msg instanceof HttpRequest request)) {
      return; // request bodies are not used by read operations; the codec releases them
    }
    String requestId = RequestIds.next();
    // A body we do not read would be parsed as the next request: close after answering.
    boolean hasBody =
        HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
    boolean keepAlive = HttpUtil.isKeepAlive(request) && !hasBody && request.decoderResult().isSuccess();
    ctx.channel().config().setAutoRead(false);
    NettyResponse response =
        new NettyResponse(
            ctx.channel(),
            requestId,
            keepAlive,
            () -> {
              current = null;
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
          () -> dispatcher.dispatch(method, uri, headers, requestId, badRequest, response));
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
