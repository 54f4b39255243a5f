package io.strata.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scenario 4: {@code n} clients, each on its own open connection, released at once to GET the same
 * 1 MiB block of an object neither cache has seen. The upstream counts the object GETs (and
 * HEADs) each cache made for it; ideally one GET, whatever {@code n} is.
 */
final class CoalescingScenario {

  private static final long MIB = 1024 * 1024;
  /** A block in the middle of the object: not the first, which some clients read for other reasons. */
  private static final long BLOCK = 2;

  private final Endpoints endpoints;
  private final Scale scale;
  private final ResultTable table;
  private final PrintStream log;

  CoalescingScenario(Endpoints endpoints, Scale scale, ResultTable table, PrintStream log) {
    this.endpoints = endpoints;
    this.scale = scale;
    this.table = table;
    this.log = log;
  }

  void run() throws Exception {
    Storm strata = storm("Strata", endpoints.strata(), Dataset.coalescingKey("strata"));
    Storm nginx = storm("nginx", endpoints.nginx(), Dataset.coalescingKey("nginx"));
    String label = scale.coalescingClients() + " concurrent cold GETs of one 1 MiB block: upstream ";
    table.add(new ResultTable.Row("4", label + "GETs of that block", Long.toString(strata.blockGets()),
        Long.toString(nginx.blockGets()), "", "", "Strata = 1", ResultTable.verdict(strata.blockGets() == 1)));
    table.add(new ResultTable.Row("4", label + "requests of any kind for the object (GET + HEAD)",
        strata.gets() + " + " + strata.heads(), nginx.gets() + " + " + nginx.heads(), "", "", "", ""));
  }

  /** What one storm cost upstream. */
  record Storm(long blockGets, long gets, long heads) {}

  private Storm storm(String party, URI endpoint, String key) throws Exception {
    int n = scale.coalescingClients();
    CountingBlobStore.Counts before = counts(key);
    CyclicBarrier start = new CyclicBarrier(n);
    AtomicInteger good = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    String range = "bytes=" + BLOCK * MIB + "-" + ((BLOCK + 1) * MIB - 1);
    for (int i = 0; i < n; i++) {
      Thread t = new Thread(() -> {
        try (HttpConnection c = new HttpConnection(endpoint)) {
          c.connect();
          start.await();
          HttpConnection.Response r = c.get(Dataset.path(key), range);
          if (r.status() == 206 && r.bodyBytes() == MIB) {
            good.incrementAndGet();
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "coalescing-" + i);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(party + ": a concurrent cold GET failed", failure.get());
    }
    if (good.get() != n) {
      throw new IllegalStateException(party + ": " + (n - good.get()) + " of " + n + " cold GETs answered wrongly");
    }
    CountingBlobStore.Counts after = counts(key);
    List<String> newRanges = after.ranges().subList(before.ranges().size(), after.ranges().size());
    long blockGets = newRanges.stream().filter(r -> overlaps(r, BLOCK * MIB, (BLOCK + 1) * MIB - 1)).count();
    log.printf("  %-8s %d concurrent cold GETs of %s: upstream GETs %d (%d of them for the block: %s), HEADs %d%n",
        party, n, key, after.gets() - before.gets(), blockGets, newRanges, after.heads() - before.heads());
    return new Storm(blockGets, after.gets() - before.gets(), after.heads() - before.heads());
  }

  private CountingBlobStore.Counts counts(String key) throws IOException {
    StringBuilder body = new StringBuilder();
    try (HttpConnection c = new HttpConnection(endpoints.counter())) {
      HttpConnection.Response r = c.get(
          "/counts?key=" + URLEncoder.encode(Dataset.BUCKET + "/" + key, StandardCharsets.UTF_8), null,
          (buffer, offset, length) -> body.append(new String(buffer, offset, length, StandardCharsets.US_ASCII)));
      if (r.status() != 200) {
        throw new IOException("upstream counter: HTTP " + r.status());
      }
    }
    return parseCounts(body.toString());
  }

  /** Parses the counter's answer: {@code gets=N heads=M}, then {@code GET <range>} lines. */
  static CountingBlobStore.Counts parseCounts(String text) throws IOException {
    String[] lines = text.split("\n");
    long gets = -1;
    long heads = -1;
    for (String part : lines[0].trim().split(" ")) {
      String[] kv = part.split("=");
      if (kv.length == 2 && kv[0].equals("gets")) {
        gets = Long.parseLong(kv[1]);
      } else if (kv.length == 2 && kv[0].equals("heads")) {
        heads = Long.parseLong(kv[1]);
      }
    }
    if (gets < 0 || heads < 0) {
      throw new IOException("upstream counter answered " + text);
    }
    List<String> ranges = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].startsWith("GET ")) {
        ranges.add(lines[i].substring(4).trim());
      }
    }
    return new CountingBlobStore.Counts(gets, heads, ranges);
  }

  /** Whether a GET with this Range header ({@code -}: none) reads any byte of {@code [first, last]}. */
  static boolean overlaps(String range, long first, long last) {
    if (range.equals("-")) {
      return true;
    }
    String spec = range.substring(range.indexOf('=') + 1);
    int dash = spec.indexOf('-');
    if (dash == 0) {
      return true; // a suffix range: where it starts depends on the size; count it
    }
    long from = Long.parseLong(spec.substring(0, dash));
    long to = dash == spec.length() - 1 ? Long.MAX_VALUE : Long.parseLong(spec.substring(dash + 1));
    return from <= last && to >= first;
  }
}
