package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** One access-log line per S3 request, its level set by configuration like any logger's; JSON on request. */
class AccessLogTest {

  @TempDir Path dir;

  @Test
  void oneLinePerRequest_levelFromConfiguration() throws Exception {
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    Logger access = null;
    try (StrataHarness strata = new StrataHarness(dir, Map.of("logger.levels.strata.access", "INFO"))) {
      access = (Logger) LoggerFactory.getLogger("strata.access"); // after start: logging is configured then
      assertThat(access.getLevel()).isEqualTo(Level.INFO);
      lines.start();
      access.addAppender(lines);
      strata.put("log/a.txt", new byte[] {1, 2, 3});
      strata.client().getObjectAsBytes(b -> b.bucket(StrataHarness.BUCKET).key("log/a.txt"));
      strata.raw("GET", "/logs/log/a.txt", "x-amz-date", "19990101T000000Z");
      // The line is written once the response has gone out, so it may follow the client's read.
      awaitLine(lines, "GET /logs/log/a.txt 200 ");
      awaitLine(lines, "GET /logs/log/a.txt 403 ");
      assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
          .anySatisfy(l -> assertThat(l).startsWith("GET /logs/log/a.txt 200 ").contains(" client "))
          .anySatisfy(l -> assertThat(l).startsWith("GET /logs/log/a.txt 403 ").contains(" - "));

      // The JSON format: the same events through the encoder logback-json.xml configures, one
      // object per line with the request's fields as key-value pairs.
      Encoder<ILoggingEvent> json = jsonEncoder();
      ILoggingEvent served = lines.list.stream()
          .filter(e -> e.getFormattedMessage().startsWith("GET /logs/log/a.txt 200 ")).findFirst().orElseThrow();
      String line = new String(json.encode(served), StandardCharsets.UTF_8);
      assertThat(line).endsWith("\n").doesNotContain("\n{");
      JsonNode parsed = new ObjectMapper().readTree(line);
      assertThat(parsed.get("loggerName").asText()).isEqualTo("strata.access");
      assertThat(parsed.get("formattedMessage").asText()).startsWith("GET /logs/log/a.txt 200 ");
      Map<String, String> fields = new java.util.HashMap<>();
      parsed.get("kvpList").forEach(kv -> kv.properties().forEach(f -> fields.put(f.getKey(), f.getValue().asText())));
      assertThat(fields).containsEntry("method", "GET").containsEntry("uri", "/logs/log/a.txt")
          .containsEntry("status", "200").containsEntry("principal", "client").containsKeys("millis", "requestId");
    } finally {
      if (access != null) {
        access.detachAppender(lines);
        access.setLevel(Level.WARN);
      }
    }
  }

  /** Waits up to 10 s for a line starting with {@code prefix} (the appender appends under its own monitor). */
  private static void awaitLine(ListAppender<ILoggingEvent> lines, String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      synchronized (lines) {
        if (lines.list.stream().anyMatch(e -> e.getFormattedMessage().startsWith(prefix))) {
          return;
        }
      }
      Thread.sleep(10);
    }
  }

  /** The encoder of the STDOUT appender that logback-json.xml (in the jar) defines. */
  private static Encoder<ILoggingEvent> jsonEncoder() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(AccessLogTest.class.getResource("/logback-json.xml"));
    var appender = (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
    return appender.getEncoder();
  }
}
