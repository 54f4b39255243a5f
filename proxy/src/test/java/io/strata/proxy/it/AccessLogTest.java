package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** One access-log line per S3 request, its level set by configuration like any logger's. */
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
      assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
          .anySatisfy(l -> assertThat(l).startsWith("GET /logs/log/a.txt 200 ").contains(" client "))
          .anySatisfy(l -> assertThat(l).startsWith("GET /logs/log/a.txt 403 ").contains(" - "));
    } finally {
      if (access != null) {
        access.detachAppender(lines);
        access.setLevel(Level.WARN);
      }
    }
  }
}
