package io.strata.proxy.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The head and idle clocks on a channel whose time only moves when the test says so. */
class ConnectionTimeoutsTest {

  private final ConnectionTimeouts timeouts =
      new ConnectionTimeouts(
          new ConnectionTimeouts.Limits(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(60)));
  private final List<Object> events = new ArrayList<>();
  private EmbeddedChannel channel;

  @BeforeEach
  void connect() {
    channel = new EmbeddedChannel(timeouts, new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        events.add(evt);
      }
    });
    channel.freezeTime(); // at the instant of connecting, give or take microseconds
  }

  @AfterEach
  void release() {
    channel.finishAndReleaseAll();
  }

  @Test
  void freshConnection_sendingNothing_isClosedAfterTheHeadTimeout() {
    advance(29);
    assertThat(channel.isOpen()).isTrue();
    advance(2);
    assertThat(channel.isOpen()).isFalse();
    assertThat(events).isEmpty();
  }

  @Test
  void freshConnection_partialHead_isTimedFromConnecting() {
    advance(20);
    receive("GET /logs/k HTTP/1.1\r\nHo");
    advance(9);
    assertThat(events).isEmpty();
    advance(2);
    assertThat(events).containsExactly(ConnectionTimeouts.HEAD_TIMED_OUT);
    advance(60);
    assertThat(events).hasSize(1); // fired once; the handler answers and closes
  }

  @Test
  void requestInProgress_isNotTimedByHeadOrIdle() {
    receive("PUT /logs/k HTTP/1.1\r\n\r\n");
    timeouts.requestStarted();
    advance(600);
    assertThat(channel.isOpen()).isTrue();
    assertThat(events).isEmpty();
  }

  @Test
  void keptAliveConnection_idleLongerThanIdleTimeout_isClosed() {
    timeouts.requestStarted();
    advance(100);
    timeouts.awaitingRequest();
    advance(59);
    assertThat(channel.isOpen()).isTrue();
    advance(2);
    assertThat(channel.isOpen()).isFalse();
    assertThat(events).isEmpty();
  }

  @Test
  void keptAliveConnection_nextHeadIsTimedFromItsFirstByte() {
    timeouts.requestStarted();
    timeouts.awaitingRequest();
    advance(50);
    receive("G");
    advance(29);
    assertThat(events).isEmpty();
    assertThat(channel.isOpen()).isTrue();
    advance(2);
    assertThat(events).containsExactly(ConnectionTimeouts.HEAD_TIMED_OUT);
  }

  @Test
  void limits_tickIsAQuarterOfTheShortest_between10msAnd1s() {
    assertThat(new ConnectionTimeouts.Limits(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(60))
        .tickNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
    assertThat(new ConnectionTimeouts.Limits(Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(60))
        .tickNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
    assertThat(new ConnectionTimeouts.Limits(Duration.ofMillis(1), Duration.ofSeconds(60), Duration.ofSeconds(60))
        .tickNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(10));
  }

  private void receive(String bytes) {
    channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
  }

  /** Moves the channel's clock in one-second steps, running the ticks that fall due. */
  private void advance(int seconds) {
    for (int i = 0; i < seconds; i++) {
      channel.advanceTimeBy(1, TimeUnit.SECONDS);
      channel.runScheduledPendingTasks();
    }
  }
}
