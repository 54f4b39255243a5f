package io.strata.bench;

import java.net.URI;
import java.time.Duration;

/**
 * One load run from the command line, for profiling a party by hand (see docs/performance.md):
 * {@code LoadMain URL PATH OBJECT_SIZE RANGE_LENGTH ALIGN CONNECTIONS SECONDS}.
 */
public final class LoadMain {

  private LoadMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 7) {
      System.err.println("usage: LoadMain URL PATH OBJECT_SIZE RANGE_LENGTH ALIGN CONNECTIONS SECONDS");
      System.exit(2);
    }
    LoadGenerator.Requests plan = new LoadGenerator.RandomRanges(args[1], Long.parseLong(args[2]),
        Long.parseLong(args[3]), Long.parseLong(args[4]));
    LoadGenerator.Result r = LoadGenerator.run(URI.create(args[0]), plan, Integer.parseInt(args[5]),
        Duration.ofSeconds(1), Duration.ofSeconds(Long.parseLong(args[6])));
    System.out.printf("%.1f MiB/s %.0f req/s p50 %.2f ms p99 %.2f ms errors %d generator CPU %.0f%%%n",
        r.mibPerSecond(), r.requestsPerSecond(), r.p50Millis(), r.p99Millis(), r.errors(),
        100 * r.generatorCpuShare());
  }
}
