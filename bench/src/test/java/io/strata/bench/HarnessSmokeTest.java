package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole harness in a tiny configuration, so {@code mvn verify} proves bench/run.sh's Java side
 * works without nginx or a Strata jar: an in-process upstream (s3proxy, in memory, with the request
 * counter) stands in for all three parties. Every scenario runs: upload, warm-up, closed-loop load,
 * cold reads, the coalescing storm and the parquet-hadoop scan over S3A.
 */
class HarnessSmokeTest {

  @Test
  void run_smokeScale_everyScenarioReports(@TempDir Path work) throws Exception {
    try (UpstreamMain upstream = UpstreamMain.start("transient-nio2", new Properties(), 0, 0)) {
      Endpoints endpoints = new Endpoints(upstream.endpoint(), upstream.endpoint(), upstream.endpoint(),
          upstream.counterEndpoint());
      ByteArrayOutputStream log = new ByteArrayOutputStream();

      String report = BenchMain.run(endpoints, Scale.SMOKE, work, "nginx/test",
          new PrintStream(log, true, StandardCharsets.UTF_8));

      assertThat(report).contains("| 1 | 1 MiB cached ranges, 2 conn.: MiB/s |")
          .contains("| 2 | 16 KiB cached ranges, random offsets, 2 conn.: requests/s |")
          .contains("| 3 | cold read of a 4 MiB object")
          .contains("| 3 | the same object from the upstream, saved to a file")
          .contains("| 5 | metadata scale")
          .contains("| 6 | parquet-hadoop + S3A scan");
      // The upstream does not coalesce: each of the 8 concurrent GETs reaches it, and is counted.
      assertThat(report).contains("| 4 | 8 concurrent cold GETs of one 1 MiB block: upstream GETs of that block | 8 | 8 |");
      assertThat(log.toString(StandardCharsets.UTF_8)).contains("scan medians:").doesNotContain("errors 1");
    }
  }
}
