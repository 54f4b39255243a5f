package io.strata.bench;

import static io.strata.bench.ResultTable.fixed;
import static io.strata.bench.ResultTable.times;
import static io.strata.bench.ResultTable.verdict;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scenario 3: the time to read a whole object no cache has seen, with one GET, through Strata,
 * through nginx and straight from the upstream. Each round uses a fresh object and rotates the
 * order of the three, so none always reads first; the median round is reported.
 */
final class ColdReadScenario {

  private final Endpoints endpoints;
  private final Scale scale;
  private final ResultTable table;
  private final PrintStream log;

  ColdReadScenario(Endpoints endpoints, Scale scale, ResultTable table, PrintStream log) {
    this.endpoints = endpoints;
    this.scale = scale;
    this.table = table;
    this.log = log;
  }

  void run() throws IOException {
    List<Double> strata = new ArrayList<>();
    List<Double> nginx = new ArrayList<>();
    List<Double> upstream = new ArrayList<>();
    for (int round = 0; round < scale.coldRounds(); round++) {
      String path = Dataset.path(Dataset.coldKey(round));
      for (int turn = 0; turn < 3; turn++) {
        switch ((round + turn) % 3) {
          case 0 -> strata.add(read("Strata", endpoints.strata(), path));
          case 1 -> nginx.add(read("nginx", endpoints.nginx(), path));
          default -> upstream.add(read("upstream", endpoints.upstream(), path));
        }
      }
    }
    double s = median(strata);
    double n = median(nginx);
    double u = median(upstream);
    long mib = scale.coldObjectBytes() >> 20;
    table.add(new ResultTable.Row("3", "cold read of a " + mib + " MiB object, one GET: seconds (median of "
        + scale.coldRounds() + ")", fixed(s, 2), fixed(n, 2), fixed(u, 2),
        "Strata/upstream " + times(s / u) + ", nginx/upstream " + times(n / u), "Strata ≤ 1.10× upstream",
        verdict(s / u <= 1.1)));
  }

  private double read(String party, URI endpoint, String path) throws IOException {
    try (HttpConnection c = new HttpConnection(endpoint)) {
      long start = System.nanoTime();
      HttpConnection.Response r = c.get(path, null);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (r.status() != 200 || r.bodyBytes() != scale.coldObjectBytes()) {
        throw new IOException(party + " cold read of " + path + ": HTTP " + r.status() + ", " + r.bodyBytes()
            + " bytes of " + scale.coldObjectBytes());
      }
      log.printf("  %-8s cold %s: %.2f s (%.0f MiB/s)%n", party, path, seconds,
          scale.coldObjectBytes() / 1048576.0 / seconds);
      return seconds;
    }
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
