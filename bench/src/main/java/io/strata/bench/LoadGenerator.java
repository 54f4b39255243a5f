package io.strata.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load generator: {@code connections} threads, each with one keep-alive connection,
 * issue ranged GETs back to back for a warm-up and then for the measured duration. Every request's
 * latency (request written to last body byte read) goes into an HdrHistogram; a response with the
 * wrong status or length counts as an error, never as a fast request.
 *
 * <p>The generator's own CPU time is reported with each run: with two cores shared by every
 * party, a generator that used most of a core would cap the servers it measures.
 */
final class LoadGenerator {

  /** What to ask for: a path and a Range for each request, and the body length that proves it right. */
  interface Requests {
    String path();

    /** The next range to request, {@code [first, first + length)}; must be cheap. */
    long nextFirst(SplittableRandom random);

    long length();
  }

  /** Random ranges of {@code length} bytes within {@code [0, objectSize)}, starting on multiples of {@code align}. */
  record RandomRanges(String path, long objectSize, long length, long align) implements Requests {
    RandomRanges {
      requireNonNull(path, "path");
      if (length <= 0 || length > objectSize) {
        throw new IllegalArgumentException("length: " + length + " (expected: > 0 and <= " + objectSize + ")");
      }
      if (align <= 0) {
        throw new IllegalArgumentException("align: " + align + " (expected: > 0)");
      }
    }

    @Override
    public long nextFirst(SplittableRandom random) {
      long slots = (objectSize - length) / align + 1;
      return random.nextLong(slots) * align;
    }
  }

  /** The outcome of one run. */
  record Result(int connections, long requests, long errors, long bytes, double seconds, Histogram latencyMicros,
      double generatorCpuSeconds) {

    double mibPerSecond() {
      return bytes / (1024.0 * 1024.0) / seconds;
    }

    double requestsPerSecond() {
      return requests / seconds;
    }

    double p50Millis() {
      return latencyMicros.getValueAtPercentile(50) / 1000.0;
    }

    double p99Millis() {
      return latencyMicros.getValueAtPercentile(99) / 1000.0;
    }

    /** Share of the machine's cores the generator itself used, 0..1. */
    double generatorCpuShare() {
      return generatorCpuSeconds / (seconds * Runtime.getRuntime().availableProcessors());
    }
  }

  private LoadGenerator() {}

  static Result run(URI endpoint, Requests requests, int connections, Duration warmup, Duration measure)
      throws InterruptedException {
    requireNonNull(endpoint, "endpoint");
    if (connections <= 0) {
      throw new IllegalArgumentException("connections: " + connections + " (expected: > 0)");
    }
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long measureTo = measureFrom + measure.toNanos();
    List<Worker> workers = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(connections);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int i = 0; i < connections; i++) {
      Worker worker = new Worker(endpoint, requests, measureFrom, measureTo, new SplittableRandom(31L * i + 7));
      workers.add(worker);
      Thread thread = new Thread(() -> {
        try {
          worker.run();
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        } finally {
          done.countDown();
        }
      }, "load-" + i);
      thread.setDaemon(true);
      thread.start();
    }
    // CPU is sampled at the edges of the measured window, while every worker is busy.
    sleepUntil(measureFrom);
    long cpuFrom = processCpuNanos();
    sleepUntil(measureTo);
    long cpuTo = processCpuNanos();
    done.await();
    if (failure.get() != null) {
      throw new IllegalStateException("load generator failed", failure.get());
    }
    Histogram latency = new Histogram(3_600_000_000L, 3);
    long count = 0;
    long errors = 0;
    long bytes = 0;
    for (Worker worker : workers) {
      latency.add(worker.latency);
      count += worker.requests;
      errors += worker.errors;
      bytes += worker.bytes;
    }
    return new Result(connections, count, errors, bytes, measure.toNanos() / 1e9, latency, (cpuTo - cpuFrom) / 1e9);
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      Thread.sleep(Math.max(1, left / 1_000_000));
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** One connection's loop; its counters are read only after its thread ended. */
  private static final class Worker {
    private final URI endpoint;
    private final Requests plan;
    private final long measureFrom;
    private final long measureTo;
    private final SplittableRandom random;
    private final Histogram latency = new Histogram(3_600_000_000L, 3);
    private long requests;
    private long errors;
    private long bytes;

    Worker(URI endpoint, Requests requests, long measureFrom, long measureTo, SplittableRandom random) {
      this.endpoint = endpoint;
      this.plan = requests;
      this.measureFrom = measureFrom;
      this.measureTo = measureTo;
      this.random = random;
    }

    void run() throws IOException {
      long length = plan.length();
      String path = plan.path();
      try (HttpConnection connection = new HttpConnection(endpoint)) {
        while (true) {
          long first = plan.nextFirst(random);
          String range = "bytes=" + first + "-" + (first + length - 1);
          long sent = System.nanoTime();
          boolean ok;
          long received;
          try {
            HttpConnection.Response response = connection.get(path, range);
            ok = response.status() == 206 && response.bodyBytes() == length;
            received = response.bodyBytes();
          } catch (IOException e) {
            ok = false;
            received = 0;
          }
          long finished = System.nanoTime();
          if (finished > measureTo) {
            return;
          }
          // A request counts in the window it finished in: over a window many latencies long,
          // what finishes in it is what the server delivered in it.
          if (finished >= measureFrom) {
            if (ok) {
              requests++;
              bytes += received;
              latency.recordValue(Math.max(1, (finished - sent) / 1_000));
            } else {
              errors++;
            }
          }
        }
      }
    }
  }
}
