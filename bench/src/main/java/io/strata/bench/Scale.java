package io.strata.bench;

import java.time.Duration;
import java.util.List;

/**
 * How big a run is. {@link #FULL} is what bench/run.sh measures (about six minutes of load);
 * {@link #SMOKE} runs every scenario in seconds so that {@code mvn verify} proves the harness works.
 */
record Scale(
    String name,
    long hotObjectBytes,
    Duration warmup,
    Duration measure,
    List<Integer> largeRangeConnections,
    List<Integer> smallRangeConnections,
    long coldObjectBytes,
    int coldRounds,
    int coalescingClients,
    int wellRows,
    int scanRepeats) {

  static final long MIB = 1024 * 1024;

  static final Scale FULL = new Scale("full", 64 * MIB, Duration.ofSeconds(2), Duration.ofSeconds(6),
      List.of(1, 16, 64), List.of(16, 64), 256 * MIB, 3, 64, 2_000_000, 5);

  static final Scale SMOKE = new Scale("smoke", 4 * MIB, Duration.ofMillis(200), Duration.ofMillis(500),
      List.of(2), List.of(2), 4 * MIB, 1, 8, 20_000, 1);

  static Scale named(String name) {
    return switch (name) {
      case "full" -> FULL;
      case "smoke" -> SMOKE;
      default -> throw new IllegalArgumentException("scale: " + name + " (expected: full or smoke)");
    };
  }
}
