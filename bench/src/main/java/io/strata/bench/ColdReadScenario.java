package io.strata.bench;

import static io.strata.bench.ResultTable.fixed;
import static io.strata.bench.ResultTable.times;
import static io.strata.bench.ResultTable.verdict;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scenario 3: the time to read a whole object no cache has seen, with one GET, through Strata,
 * through nginx and straight from the upstream. Each round uses a fresh object and rotates the
 * order of the parties, so none always reads first; the median round is reported.
 *
 * <p>A fourth party is the upstream read saved to a file beside the caches, as a client that
 * downloads (`aws s3 cp`) does. A cold read through a cache writes every byte to disk too, and
 * on loopback, where the "network" is a page-cache copy, that write is the larger cost: the pair
 * tells the network from the disk. The downloads are kept until the scenario ends, as the caches
 * keep theirs: a file deleted at once hands its page-cache pages to the next write, which on a
 * virtual machine that returns free memory to its host is up to ten times cheaper than writing
 * into pages never used before (docs/performance.md, cold reads).
 */
final class ColdReadScenario {

  private final Endpoints endpoints;
  private final Scale scale;
  private final Path work;
  private final ResultTable table;
  private final PrintStream log;

  ColdReadScenario(Endpoints endpoints, Scale scale, Path work, ResultTable table, PrintStream log) {
    this.endpoints = endpoints;
    this.scale = scale;
    this.work = work;
    this.table = table;
    this.log = log;
  }

  void run() throws IOException {
    List<Double> strata = new ArrayList<>();
    List<Double> nginx = new ArrayList<>();
    List<Double> upstream = new ArrayList<>();
    List<Double> download = new ArrayList<>();
    List<Path> downloads = new ArrayList<>();
    try {
      readRounds(strata, nginx, upstream, download, downloads);
    } finally {
      for (Path file : downloads) {
        Files.deleteIfExists(file);
      }
    }
    double s = median(strata);
    double n = median(nginx);
    double u = median(upstream);
    double d = median(download);
    long mib = scale.coldObjectBytes() >> 20;
    table.add(new ResultTable.Row("3", "cold read of a " + mib + " MiB object, one GET: seconds (median of "
        + scale.coldRounds() + ")", fixed(s, 2), fixed(n, 2), fixed(u, 2),
        "Strata/upstream " + times(s / u) + ", nginx/upstream " + times(n / u), "Strata ≤ 1.10× upstream",
        verdict(s / u <= 1.1)));
    table.add(new ResultTable.Row("3", "the same object from the upstream, saved to a file on the caches' disk"
        + " (a client's download): seconds (median of " + scale.coldRounds() + ")", "", "", fixed(d, 2),
        "Strata/download " + times(s / d) + ", nginx/download " + times(n / d), "", ""));
  }

  private void readRounds(List<Double> strata, List<Double> nginx, List<Double> upstream, List<Double> download,
      List<Path> downloads) throws IOException {
    for (int round = 0; round < scale.coldRounds(); round++) {
      String path = Dataset.path(Dataset.coldKey(round));
      for (int turn = 0; turn < 4; turn++) {
        switch ((round + turn) % 4) {
          case 0 -> strata.add(read("Strata", endpoints.strata(), path, null));
          case 1 -> nginx.add(read("nginx", endpoints.nginx(), path, null));
          case 2 -> upstream.add(read("upstream", endpoints.upstream(), path, null));
          default -> {
            Path file = work.resolve("download-" + round + ".bin");
            downloads.add(file);
            download.add(download(path, file));
          }
        }
      }
    }
  }

  /** The upstream read of {@code path}, its body written to {@code file} as it arrives. */
  private double download(String path, Path file) throws IOException {
    try (FileOutputStream out = new FileOutputStream(file.toFile())) {
      return read("download", endpoints.upstream(), path, out::write);
    }
  }

  private double read(String party, URI endpoint, String path, HttpConnection.BodySink sink) throws IOException {
    try (HttpConnection c = new HttpConnection(endpoint)) {
      long start = System.nanoTime();
      HttpConnection.Response r = sink == null ? c.get(path, null) : c.get(path, null, sink);
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
