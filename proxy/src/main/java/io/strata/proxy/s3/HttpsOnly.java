package io.strata.proxy.s3;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.s3.xml.S3Xml;
import java.nio.charset.StandardCharsets;

/**
 * The first handler of a connection on a TLS port: it looks at the first bytes and becomes the
 * {@code SslHandler} for a TLS client. A plain-HTTP client (an {@code http://} endpoint URL by
 * mistake) gets one {@code 400} saying to use https, then the connection closes, rather than a
 * reset that SDKs retry and report as "the target server failed to respond". No plaintext request
 * is ever served.
 */
final class HttpsOnly extends OptionalSslHandler {

  HttpsOnly(SslContext context) {
    super(context);
  }

  @Override
  protected ChannelHandler newNonSslHandler(ChannelHandlerContext ctx) {
    return new RefusePlainHttp();
  }

  private static final class RefusePlainHttp extends ChannelInboundHandlerAdapter {

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      String requestId = RequestIds.next();
      byte[] body = S3Xml.error(
          new S3Exception(S3ErrorCode.INVALID_REQUEST, "This endpoint accepts only HTTPS; use an https:// URL."),
          "/", requestId);
      String head = "HTTP/1.1 400 Bad Request\r\n"
          + "Content-Type: application/xml\r\n"
          + "Content-Length: " + body.length + "\r\n"
          + "x-amz-request-id: " + requestId + "\r\n"
          + "Server: Strata\r\n"
          + "Connection: close\r\n\r\n";
      ctx.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body))
          .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg); // the rest of the plaintext request: never parsed
    }
  }
}
