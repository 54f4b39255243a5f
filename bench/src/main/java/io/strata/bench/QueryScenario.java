package io.strata.bench;

import static io.strata.bench.ResultTable.fixed;
import static io.strata.bench.ResultTable.times;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;

/**
 * Scenario 6: a real query, {@link WellLogScan}, over a large well-log file: from the local file,
 * through warm Strata, through warm nginx and straight from the upstream, with Hadoop S3A. Each
 * source is scanned once to warm it (and to warm the JIT), then {@code scanRepeats} times in
 * rotating order; the median is reported, and every scan must return the same rows.
 */
final class QueryScenario {

  static final String KEY = "wells/big-well.parquet";

  private final Endpoints endpoints;
  private final Scale scale;
  private final Path workDir;
  private final ResultTable table;
  private final PrintStream log;

  QueryScenario(Endpoints endpoints, Scale scale, Path workDir, ResultTable table, PrintStream log) {
    this.endpoints = endpoints;
    this.scale = scale;
    this.workDir = workDir;
    this.table = table;
    this.log = log;
  }

  /** Writes the file and uploads it; returns its local path. */
  Path prepare() throws IOException {
    Path file = workDir.resolve("big-well.parquet");
    long start = System.nanoTime();
    WellLogFile.write(file, scale.wellRows());
    log.printf("  wrote %s: %d rows, %.1f MiB in %.1f s%n", file, scale.wellRows(), Files.size(file) / 1048576.0,
        (System.nanoTime() - start) / 1e9);
    Dataset.putFile(endpoints, KEY, file);
    return file;
  }

  void run(Path localFile) throws IOException {
    double from = WellLogFile.TOP + 0.45 * scale.wellRows() * WellLogFile.STEP;
    double to = WellLogFile.TOP + 0.50 * scale.wellRows() * WellLogFile.STEP;
    Map<String, Source> sources = new LinkedHashMap<>();
    sources.put("local", new Source(WellLogScan.local(),
        new org.apache.hadoop.fs.Path(localFile.toAbsolutePath().toUri())));
    org.apache.hadoop.fs.Path s3Path = new org.apache.hadoop.fs.Path("s3a://" + Dataset.BUCKET + "/" + KEY);
    sources.put("Strata", new Source(WellLogScan.s3a(endpoints.strata(), Dataset.BUCKET), s3Path));
    sources.put("nginx", new Source(WellLogScan.s3a(endpoints.nginx(), Dataset.BUCKET), s3Path));
    sources.put("upstream", new Source(WellLogScan.s3a(endpoints.upstream(), Dataset.BUCKET), s3Path));
    try {
      WellLogScan.Result expected = null;
      for (var entry : sources.entrySet()) {
        WellLogScan.Result warm = WellLogScan.scan(entry.getValue().fs(), entry.getValue().path(), from, to);
        log.printf("  %-8s warm-up scan: %d rows in %.0f ms%n", entry.getKey(), warm.rows(), warm.seconds() * 1000);
        if (expected == null) {
          expected = warm;
          if (warm.rows() == 0) {
            throw new IllegalStateException("the depth window selected no rows");
          }
        } else if (warm.rows() != expected.rows() || warm.grSum() != expected.grSum()) {
          throw new IllegalStateException(entry.getKey() + " returned " + warm.rows() + " rows (GR sum "
              + warm.grSum() + "), the local file " + expected.rows() + " (" + expected.grSum() + ")");
        }
      }
      List<String> names = new ArrayList<>(sources.keySet());
      Map<String, List<Double>> times = new LinkedHashMap<>();
      names.forEach(n -> times.put(n, new ArrayList<>()));
      for (int round = 0; round < scale.scanRepeats(); round++) {
        for (int turn = 0; turn < names.size(); turn++) {
          String name = names.get((round + turn) % names.size());
          Source source = sources.get(name);
          WellLogScan.Result r = WellLogScan.scan(source.fs(), source.path(), from, to);
          if (r.rows() != expected.rows() || r.grSum() != expected.grSum()) {
            throw new IllegalStateException(name + " returned other rows than the local file");
          }
          times.get(name).add(r.seconds() * 1000);
        }
      }
      double local = ColdReadScenario.median(times.get("local"));
      double strata = ColdReadScenario.median(times.get("Strata"));
      double nginx = ColdReadScenario.median(times.get("nginx"));
      double upstream = ColdReadScenario.median(times.get("upstream"));
      log.printf("  scan medians: local %.1f ms, Strata %.1f ms, nginx %.1f ms, upstream %.1f ms%n",
          local, strata, nginx, upstream);
      table.add(new ResultTable.Row("6",
          "parquet-hadoop + S3A scan of GR, RHOB over a depth window (" + expected.rows() + " of "
              + scale.wellRows() + " rows, " + fixed(Files.size(localFile) / 1048576.0, 0)
              + " MiB file): ms (median of " + scale.scanRepeats() + "); local file " + fixed(local, 1) + " ms",
          fixed(strata, 1), fixed(nginx, 1), fixed(upstream, 1),
          "Strata/upstream " + times(strata / upstream) + ", Strata/nginx " + times(strata / nginx)
              + ", Strata/local " + times(strata / local),
          "", ""));
    } finally {
      for (Source source : sources.values()) {
        source.fs().close();
      }
    }
  }

  private record Source(FileSystem fs, org.apache.hadoop.fs.Path path) {}
}
