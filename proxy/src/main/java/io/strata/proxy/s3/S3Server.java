package io.strata.proxy.s3;

import io.micronaut.context.annotation.Context;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.strata.proxy.config.ConfigValues;
import io.strata.proxy.config.S3ServerConfig;
import jakarta.annotation.PreDestroy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 endpoint: a plain Netty HTTP/1.1 server (not Micronaut's router, whose range and HEAD
 * handling do not match S3) whose pipeline is listed in one place, {@link #pipeline}. Started
 * eagerly with the application context.
 */
@Context
public final class S3Server implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(S3Server.class);
  /** How long a stop waits for requests in flight (Kubernetes grants 30 s by default). */
  static final long DRAIN_SECONDS = 25;

  private final EventLoopGroup boss;
  private final EventLoopGroup workersLoop;
  private final ThreadPoolExecutor workers;
  private final Channel serverChannel;
  private final InetSocketAddress address;
  /** Connections with a response not yet fully sent, whatever the worker is doing. */
  private final java.util.Set<Channel> answering = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final S3Tls tls;

  S3Server(S3ServerConfig config, S3Dispatcher dispatcher, S3Tls tls) throws InterruptedException {
    this.tls = tls;
    int port = ConfigValues.port("strata.s3.port", config.port());
    ConfigValues.require(config.workerThreads() > 0, "strata.s3.worker-threads", config.workerThreads(), "> 0");
    ConnectionTimeouts.Limits limits =
        new ConnectionTimeouts.Limits(
            config.headerTimeoutDuration(), config.idleTimeoutDuration(), config.writeTimeoutDuration());
    Duration bodyTimeout = config.bodyTimeoutDuration();
    this.workers =
        new ThreadPoolExecutor(
            config.workerThreads(),
            config.workerThreads(),
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(4096),
            named("strata-s3-worker"));
    workers.allowCoreThreadTimeOut(true);
    this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.workersLoop = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, workersLoop)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    pipeline(ch.pipeline(), dispatcher, limits, bodyTimeout);
                  }
                });
    try {
      this.serverChannel = bootstrap.bind(config.bind(), port).sync().channel();
    } catch (Exception e) {
      close();
      throw new io.strata.proxy.config.ConfigurationError(
          "cannot listen on " + config.bind() + ":" + port + " (strata.s3.bind / strata.s3.port): " + e.getMessage());
    }
    this.address = (InetSocketAddress) serverChannel.localAddress();
    log.info("S3 endpoint listening on {}://{}:{}", tls.scheme(), address.getHostString(), address.getPort());
  }

  /** The whole pipeline of an S3 connection. */
  private void pipeline(
      ChannelPipeline p, S3Dispatcher dispatcher, ConnectionTimeouts.Limits limits, Duration bodyTimeout) {
    ConnectionTimeouts timeouts = new ConnectionTimeouts(limits);
    // first, so that it sees raw bytes arrive and leave
    p.addLast("timeouts", timeouts);
    tls.newHandler().ifPresent(h -> p.addLast("tls", h)); // becomes the SslHandler; refuses plain HTTP
    // not HttpServerCodec: its decoder cannot be told to refuse Content-Length with chunked
    p.addLast("decoder", new StrictRequestDecoder());
    p.addLast("encoder", new HttpResponseEncoder());
    // no HttpServerExpectContinueHandler: S3Handler invites a body only when it reads one
    p.addLast("s3", new S3Handler(dispatcher, workers, timeouts, bodyTimeout, answering));
  }

  /** {@code https} when {@code strata.s3.tls.*} is set, else {@code http}. */
  public String scheme() {
    return tls.scheme();
  }

  /** The bound address (the port is real even when configured as 0). */
  public InetSocketAddress address() {
    return address;
  }

  @PreDestroy
  @Override
  public void close() {
    // Graceful stop (SIGTERM): take no new connections, let the requests being answered finish
    // (their bytes still go out through the event loops), and only then stop the loops.
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly();
    }
    workers.shutdown();
    // A response is done when its last byte left (a worker may be done long before: cached
    // blocks are handed to the event loop as file regions).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
    try {
      while (!answering.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!answering.isEmpty()) {
      log.warn("{} response(s) still being sent after {} s; stopping anyway", answering.size(), DRAIN_SECONDS);
    }
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workersLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
