package io.strata.bench;

import static io.strata.bench.ResultTable.fixed;
import static io.strata.bench.ResultTable.times;
import static io.strata.bench.ResultTable.verdict;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;

/**
 * Scenarios 1 and 2: warm range GETs, Strata against nginx (and the bare upstream for scale).
 * Both caches are warmed with every 1 MiB block of the object first. Strata and nginx are then
 * measured twice each in the order Strata, nginx, nginx, Strata, so that a neighbour's load on the
 * shared machine falls on both; the two runs of each are merged.
 */
final class CachedRangeScenario {

  private static final long MIB = 1024 * 1024;
  private static final long SMALL = 16 * 1024;

  private final Endpoints endpoints;
  private final Scale scale;
  private final ResultTable table;
  private final PrintStream log;
  /** The most CPU the generator itself used in any measured run, as a share of the machine. */
  private double generatorPeak;

  CachedRangeScenario(Endpoints endpoints, Scale scale, ResultTable table, PrintStream log) {
    this.endpoints = endpoints;
    this.scale = scale;
    this.table = table;
    this.log = log;
  }

  /** Reads every block of the hot object through both caches (twice, so both serve hits after). */
  void warm() throws IOException {
    for (URI cache : new URI[] {endpoints.strata(), endpoints.nginx()}) {
      try (HttpConnection c = new HttpConnection(cache)) {
        for (int pass = 0; pass < 2; pass++) {
          for (long first = 0; first < scale.hotObjectBytes(); first += MIB) {
            HttpConnection.Response r = c.get(Dataset.path(Dataset.HOT), "bytes=" + first + "-" + (first + MIB - 1));
            if (r.status() != 206 || r.bodyBytes() != MIB) {
              throw new IOException("warming " + cache + " at " + first + ": HTTP " + r.status() + ", "
                  + r.bodyBytes() + " bytes");
            }
          }
        }
      }
    }
  }

  /**
   * Load on both caches that is not measured, so the first measured run does not pay for the JIT
   * compiling Strata's request path (nginx has none, but gets the same treatment).
   */
  void warmJit() throws InterruptedException {
    for (URI cache : new URI[] {endpoints.strata(), endpoints.nginx()}) {
      for (long length : new long[] {MIB, SMALL}) {
        LoadGenerator.run(cache, new LoadGenerator.RandomRanges(Dataset.path(Dataset.HOT), scale.hotObjectBytes(),
            length, 1), 8, Duration.ZERO, scale.measure().dividedBy(2));
      }
    }
  }

  void largeRanges() throws InterruptedException {
    LoadGenerator.Requests plan =
        new LoadGenerator.RandomRanges(Dataset.path(Dataset.HOT), scale.hotObjectBytes(), MIB, MIB);
    for (int connections : scale.largeRangeConnections()) {
      Trio trio = measure(plan, connections);
      String label = "1 MiB cached ranges, " + connections + " conn.";
      double ratio = trio.strata.mibPerSecond() / trio.nginx.mibPerSecond();
      boolean targeted = connections >= 16;
      table.add(new ResultTable.Row("1", label + ": MiB/s",
          fixed(trio.strata.mibPerSecond(), 0), fixed(trio.nginx.mibPerSecond(), 0),
          fixed(trio.upstream.mibPerSecond(), 0), "Strata/nginx " + times(ratio),
          targeted ? "≥ 1.50×" : "", targeted ? verdict(ratio >= 1.5) : ""));
      double p99Ratio = trio.strata.p99Millis() / trio.nginx.p99Millis();
      table.add(new ResultTable.Row("1", label + ": p50 / p99 ms",
          latency(trio.strata), latency(trio.nginx), latency(trio.upstream),
          "p99 Strata/nginx " + times(p99Ratio),
          targeted ? "p99 ≤ 1.00×" : "", targeted ? verdict(p99Ratio <= 1.0) : ""));
    }
  }

  void smallRanges() throws InterruptedException {
    // Any offset, like a Parquet footer or page read: some ranges straddle two blocks/slices.
    LoadGenerator.Requests plan =
        new LoadGenerator.RandomRanges(Dataset.path(Dataset.HOT), scale.hotObjectBytes(), SMALL, 1);
    for (int connections : scale.smallRangeConnections()) {
      Trio trio = measure(plan, connections);
      String label = "16 KiB cached ranges, random offsets, " + connections + " conn.";
      table.add(new ResultTable.Row("2", label + ": requests/s",
          fixed(trio.strata.requestsPerSecond(), 0), fixed(trio.nginx.requestsPerSecond(), 0),
          fixed(trio.upstream.requestsPerSecond(), 0),
          "Strata/nginx " + times(trio.strata.requestsPerSecond() / trio.nginx.requestsPerSecond()), "", ""));
      table.add(new ResultTable.Row("2", label + ": p50 / p99 ms",
          latency(trio.strata), latency(trio.nginx), latency(trio.upstream),
          "p99 Strata/nginx " + times(trio.strata.p99Millis() / trio.nginx.p99Millis()), "", ""));
    }
  }

  private record Trio(LoadGenerator.Result strata, LoadGenerator.Result nginx, LoadGenerator.Result upstream) {}

  private Trio measure(LoadGenerator.Requests plan, int connections) throws InterruptedException {
    LoadGenerator.Result s1 = run("Strata", endpoints.strata(), plan, connections);
    LoadGenerator.Result n1 = run("nginx", endpoints.nginx(), plan, connections);
    LoadGenerator.Result n2 = run("nginx", endpoints.nginx(), plan, connections);
    LoadGenerator.Result s2 = run("Strata", endpoints.strata(), plan, connections);
    LoadGenerator.Result u = run("upstream", endpoints.upstream(), plan, connections);
    return new Trio(merge(s1, s2), merge(n1, n2), u);
  }

  private LoadGenerator.Result run(String party, URI endpoint, LoadGenerator.Requests plan, int connections)
      throws InterruptedException {
    LoadGenerator.Result r = LoadGenerator.run(endpoint, plan, connections, scale.warmup(), scale.measure());
    log.printf("  %-8s %3d conn. %7d B ranges: %8.1f MiB/s %8.0f req/s p50 %7.2f ms p99 %7.2f ms errors %d"
            + " (generator CPU %.0f%% of the machine)%n",
        party, connections, plan.length(), r.mibPerSecond(), r.requestsPerSecond(), r.p50Millis(),
        r.p99Millis(), r.errors(), 100 * r.generatorCpuShare());
    generatorPeak = Math.max(generatorPeak, r.generatorCpuShare());
    if (r.errors() > 0) {
      throw new IllegalStateException(party + " answered " + r.errors() + " requests wrongly");
    }
    return r;
  }

  static LoadGenerator.Result merge(LoadGenerator.Result a, LoadGenerator.Result b) {
    org.HdrHistogram.Histogram h = a.latencyMicros().copy();
    h.add(b.latencyMicros());
    return new LoadGenerator.Result(a.connections(), a.requests() + b.requests(), a.errors() + b.errors(),
        a.bytes() + b.bytes(), a.seconds() + b.seconds(), h, a.generatorCpuSeconds() + b.generatorCpuSeconds());
  }

  private static String latency(LoadGenerator.Result r) {
    return fixed(r.p50Millis(), 2) + " / " + fixed(r.p99Millis(), 2);
  }

  /** The most CPU the load generator used in a measured run of scenarios 1 and 2, 0..1. */
  double generatorPeak() {
    return generatorPeak;
  }
}
