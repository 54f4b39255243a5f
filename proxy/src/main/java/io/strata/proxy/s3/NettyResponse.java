package io.strata.proxy.s3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.strata.cache.CachedBlock;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.s3.xml.S3Xml;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The response to one request, written from a worker thread (never the event loop) with
 * backpressure: a writer blocks while the channel's outbound buffer is above its high-water mark,
 * and at most {@link #MAX_REGIONS_IN_FLIGHT} file regions (each holding an open block file) are
 * queued, so memory and file handles per connection stay bounded whatever the object size.
 *
 * <p>Every response carries {@code x-amz-request-id}. Once the status line is sent an error can
 * no longer be reported as XML: {@link #abort()} closes the connection so the client sees a body
 * shorter than its Content-Length and retries.
 */
final class NettyResponse {

  /** Queued zero-copy regions per connection; each keeps a block file open until written. */
  private static final int MAX_REGIONS_IN_FLIGHT = 4;
  /** Bytes read from a file per write when file regions cannot be used (TLS). */
  private static final int TLS_CHUNK = 64 * 1024;

  private final Channel channel;
  private final String requestId;
  /** Whether the connection may carry another request (not if the request body was left unread). */
  private final BooleanSupplier keepAlive;
  private final Runnable onComplete;
  private final Object writability = new Object();
  private final Deque<ChannelFuture> regionsInFlight = new ArrayDeque<>();
  /** Under TLS every byte must pass through the SslHandler, so file regions (sendfile) cannot be used. */
  private final boolean tls;
  private boolean headersSent;
  private boolean finished;
  private volatile int status;
  private final Map<String, String> always = new java.util.LinkedHashMap<>();

  NettyResponse(Channel channel, String requestId, BooleanSupplier keepAlive, Runnable onComplete) {
    this.channel = channel;
    this.tls = channel.pipeline().get(SslHandler.class) != null;
    this.requestId = requestId;
    this.keepAlive = keepAlive;
    this.onComplete = onComplete;
  }

  boolean headersSent() {
    return headersSent;
  }

  /** Headers every answer to this request carries (CORS), set before anything is sent. */
  void addHeadersToEveryAnswer(Map<String, String> headers) {
    always.putAll(headers);
  }

  /** The status sent, or 0 if none was (the connection was cut first). */
  int status() {
    return status;
  }

  /** Sends the status line and headers of a response whose body follows (or of a HEAD). */
  void sendHeaders(HttpResponseStatus status, HttpHeaders headers) {
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
    response.headers().set(headers);
    addCommonHeaders(response.headers());
    headersSent = true;
    this.status = status.code();
    channel.write(response);
  }

  /** Sends a HEAD response (or a 304): headers only, Content-Length kept as given. */
  void sendHeadersOnly(HttpResponseStatus status, HttpHeaders headers) {
    sendHeaders(status, headers);
    finish();
  }

  /** Sends a complete response with a small body held in memory (XML documents). */
  void sendFull(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> extra, boolean head) {
    DefaultFullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    HttpHeaders h = response.headers();
    extra.forEach(h::set);
    if (!head) {
      h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    if (status.code() != 204) { // RFC 9110 §8.6: no Content-Length on a 204
      h.set(HttpHeaderNames.CONTENT_LENGTH, head ? 0 : body.length);
    }
    addCommonHeaders(h);
    headersSent = true;
    this.status = status.code();
    finished = true;
    complete(channel.writeAndFlush(response));
  }

  /** Renders an S3 error, or aborts the connection if the body already started. */
  void sendError(S3Exception error, String resource, boolean head) {
    if (headersSent) {
      abort();
      return;
    }
    HttpResponseStatus status = HttpResponseStatus.valueOf(error.code().status());
    // RFC 9110 §15.4.5: a 304 has no body, and S3 sends none on HEAD errors either.
    boolean noBody = head || status.code() == 304;
    byte[] body = noBody ? new byte[0] : S3Xml.error(error, resource, requestId);
    sendFull(status, "application/xml", body, error.headers(), noBody);
  }

  /** Writes body bytes, taking ownership of {@code bytes}; blocks while the client is slow. */
  void writeBytes(ByteBuf bytes) throws IOException {
    try {
      awaitWritable();
    } catch (IOException e) {
      bytes.release();
      throw e;
    }
    channel.writeAndFlush(new DefaultHttpContent(bytes));
  }

  /**
   * Writes {@code count} bytes of a cached block from {@code position} without copying them
   * through the heap ({@code sendfile}). The block is closed once written.
   */
  void writeRegion(CachedBlock block, long position, long count) throws IOException {
    if (tls) {
      try {
        copyThroughBuffers(block.channel(), position, count);
      } finally {
        closeQuietly(block);
      }
      return;
    }
    try {
      awaitRegionSlot();
      awaitWritable();
    } catch (IOException e) {
      closeQuietly(block);
      throw e;
    }
    ChannelFuture written =
        channel.writeAndFlush(new DefaultFileRegion(block.channel(), position, count));
    written.addListener(f -> closeQuietly(block));
    regionsInFlight.addLast(written);
  }

  /** Like {@link #writeRegion} for any file; the channel is closed once written. */
  void writeFile(FileChannel file, long position, long count) throws IOException {
    if (tls) {
      try (file) {
        copyThroughBuffers(file, position, count);
      }
      return;
    }
    try {
      awaitRegionSlot();
      awaitWritable();
    } catch (IOException e) {
      file.close();
      throw e;
    }
    // DefaultFileRegion closes the channel when released after the write.
    regionsInFlight.addLast(channel.writeAndFlush(new DefaultFileRegion(file, position, count)));
  }

  /** The TLS path of {@link #writeRegion}: reads the file in 64 KiB chunks, each written with backpressure. */
  private void copyThroughBuffers(FileChannel file, long position, long count) throws IOException {
    long end = position + count;
    while (position < end) {
      int want = (int) Math.min(TLS_CHUNK, end - position);
      ByteBuf chunk = channel.alloc().directBuffer(want);
      try {
        while (chunk.writableBytes() > 0) {
          if (chunk.writeBytes(file, position + chunk.readableBytes(), chunk.writableBytes()) < 0) {
            throw new EOFException("file ended at byte " + (position + chunk.readableBytes()) + " of " + end);
          }
        }
      } catch (IOException | RuntimeException e) {
        chunk.release();
        throw e;
      }
      position += want;
      writeBytes(chunk);
    }
  }

  /** Ends the body; the connection then reads its next request (keep-alive) or closes. */
  void finish() {
    if (finished) {
      return;
    }
    finished = true;
    complete(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
  }

  /**
   * Closes the connection mid-response: the only honest signal once the status line is out. Does
   * nothing once the response is finished.
   */
  void abort() {
    if (finished) {
      return; // complete already: the connection may be serving the next request
    }
    finished = true;
    channel.close();
    onComplete.run();
  }

  /** Called by the handler when the channel's writability changes. */
  void writabilityChanged() {
    synchronized (writability) {
      writability.notifyAll();
    }
  }

  private void complete(ChannelFuture last) {
    last.addListener(
        (ChannelFutureListener)
            f -> {
              if (!keepAlive.getAsBoolean() || !f.isSuccess()) {
                f.channel().close();
              }
              onComplete.run();
            });
  }

  private void awaitWritable() throws IOException {
    synchronized (writability) {
      while (!channel.isWritable()) {
        if (!channel.isActive()) {
          throw new ClientGoneException();
        }
        try {
          writability.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ClientGoneException();
        }
      }
    }
    if (!channel.isActive()) {
      throw new ClientGoneException();
    }
  }

  private void awaitRegionSlot() throws IOException {
    while (regionsInFlight.size() >= MAX_REGIONS_IN_FLIGHT) {
      ChannelFuture oldest = regionsInFlight.pollFirst();
      try {
        while (!oldest.await(100, TimeUnit.MILLISECONDS)) {
          if (!channel.isActive()) {
            throw new ClientGoneException();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClientGoneException();
      }
      if (!oldest.isSuccess()) {
        throw new ClientGoneException();
      }
    }
  }

  private void addCommonHeaders(HttpHeaders h) {
    always.forEach(h::set);
    h.set("x-amz-request-id", requestId);
    h.set("x-amz-id-2", requestId);
    h.set(HttpHeaderNames.DATE, HttpDates.now());
    h.set(HttpHeaderNames.SERVER, "Strata");
    if (!keepAlive.getAsBoolean()) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
  }

  private static void closeQuietly(CachedBlock block) {
    try {
      block.close();
    } catch (IOException ignored) {
      // nothing to do: the block was only being read
    }
  }

  /** The client closed its connection; the response cannot be completed. */
  static final class ClientGoneException extends IOException {
    ClientGoneException() {
      super("the client closed the connection");
    }
  }
}
