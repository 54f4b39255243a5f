package io.strata.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the whole-system scenarios against a Strata, an nginx slice cache and an upstream that
 * bench/run.sh has started, prints the table and writes it as Markdown.
 *
 * <p>Usage: {@code BenchMain strata=URL nginx=URL upstream=URL counter=URL work=DIR out=FILE
 * [scale=full|smoke] [nginxVersion=TEXT]}.
 */
public final class BenchMain {

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    Endpoints endpoints = new Endpoints(URI.create(required(options, "strata")), URI.create(required(options, "nginx")),
        URI.create(required(options, "upstream")), URI.create(required(options, "counter")));
    Scale scale = Scale.named(options.getOrDefault("scale", "full"));
    Path work = Files.createDirectories(Path.of(required(options, "work")));
    Path out = Path.of(required(options, "out"));
    String report = run(endpoints, scale, work, options.getOrDefault("nginxVersion", "nginx"), System.out);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report);
    System.out.println();
    System.out.println(report);
    System.out.println("written to " + out);
  }

  /** Uploads the data set, runs scenarios 1, 2, 3, 4 and 6, and returns the Markdown report. */
  static String run(Endpoints endpoints, Scale scale, Path work, String nginxVersion, PrintStream log)
      throws Exception {
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    long started = System.nanoTime();
    ResultTable table = new ResultTable();

    log.println("== uploading the data set to the upstream");
    Dataset.createBucket(endpoints);
    Dataset.putRandom(endpoints, Dataset.HOT, scale.hotObjectBytes(), 1);
    for (int round = 0; round < scale.coldRounds(); round++) {
      Dataset.putRandom(endpoints, Dataset.coldKey(round), scale.coldObjectBytes(), 100 + round);
    }
    Dataset.putRandom(endpoints, Dataset.coalescingKey("strata"), 8 * Scale.MIB, 200);
    Dataset.putRandom(endpoints, Dataset.coalescingKey("nginx"), 8 * Scale.MIB, 201);
    QueryScenario query = new QueryScenario(endpoints, scale, work, table, log);
    Path wellFile = query.prepare();

    CachedRangeScenario cached = new CachedRangeScenario(endpoints, scale, table, log);
    log.println("== warming both caches");
    cached.warm();
    cached.warmJit();
    log.println("== scenario 1: cached 1 MiB ranges");
    cached.largeRanges();
    log.println("== scenario 2: cached 16 KiB ranges");
    cached.smallRanges();
    log.println("== scenario 3: cold reads");
    new ColdReadScenario(endpoints, scale, work, table, log).run();
    log.println("== scenario 4: coalescing");
    new CoalescingScenario(endpoints, scale, table, log).run();
    table.add(new ResultTable.Row("5", "metadata scale (1 M blocks: start-up, RSS, block lookup)",
        "see the metadata-scale section", "", "", "", "start ≤ 2 s, RSS ≤ 300 MB", ""));
    log.println("== scenario 6: a real query");
    query.run(wellFile);

    table.note("Every party runs on this one machine, over loopback: " + Runtime.getRuntime().availableProcessors()
        + " cores shared by the load generator, Strata, nginx and the upstream (s3proxy, filesystem backend). "
        + "Ratios compare figures taken minutes apart in the same run; absolute figures are not portable.");
    table.note("Load: a closed loop of N keep-alive connections, each one thread of blocking HTTP/1.1 GETs at "
        + "random offsets; latency is request written to last byte read (HdrHistogram). Strata and nginx "
        + "are measured twice each, in the order Strata, nginx, nginx, Strata, " + scale.measure().toMillis()
        + " ms per run after " + scale.warmup().toMillis() + " ms of warm-up, and the two runs merged. "
        + String.format(Locale.ROOT, "The generator itself used at most %.0f%% of the machine's CPU in any run: "
            + "the same tax on every party, but it means absolute throughput is capped by the shared cores.",
            100 * cached.generatorPeak()));
    table.note("Strata: the release jar, anonymous clients, default settings but the cache size. nginx: "
        + nginxVersion + ", slice 1m + proxy_cache, proxy_cache_lock on, sendfile on, worker_processes auto, "
        + "keepalive 32 to the upstream (the config is kept in bench/target/run/nginx.conf; NginxConfig renders it).");
    table.note(String.format(Locale.ROOT, "Scale %s; load average %.2f at the start, %.2f at the end; "
            + "the run took %.0f s.", scale.name(), loadBefore,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), (System.nanoTime() - started) / 1e9));

    return "# Strata vs nginx slice cache vs the bare upstream: " + LocalDate.now() + "\n\n"
        + "Produced by `bench/run.sh` (scale " + scale.name() + "). Java " + System.getProperty("java.version")
        + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version") + ".\n\n"
        + table.markdown();
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("argument: " + arg + " (expected: name=value)");
      }
      options.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + "= is required");
    }
    return value;
  }
}
