package io.strata.proxy.demo;

import static java.util.Objects.requireNonNull;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The demo's sample data: synthetic well logs as Parquet, one file per well under
 * {@code s3://well-logs/wells/<name>/logs.parquet}, each beside a small {@code header.json}.
 *
 * <p>The files are big enough (tens of MB, several row groups) that a query engine reads them
 * with ranged GETs of footers and column chunks, which is the traffic Strata caches.
 * {@link #seed} uploads only objects that are missing, so a persistent upstream is seeded once.
 */
public final class WellLogDataset {

  /** Bucket holding the demo data. */
  public static final String BUCKET = "well-logs";
  /** Rows per row group: about 3.6 MB per group, so each file has several. */
  static final int DEFAULT_ROWS_PER_GROUP = 50_000;
  /** Media type registered for Parquet (IANA, 2024). */
  private static final String PARQUET_TYPE = "application/vnd.apache.parquet";

  private static final List<Well> STANDARD_WELLS = List.of(
      new Well("alder-1", "DEMO-0001", 58.4412, 1.8823, 25.0, 850.0, 240_000, 1L),
      new Well("birch-2", "DEMO-0002", 58.4630, 1.9371, 25.0, 920.0, 300_000, 2L),
      new Well("cedar-3", "DEMO-0003", 58.4187, 1.9904, 24.0, 780.0, 280_000, 3L),
      new Well("dogwood-4", "DEMO-0004", 58.4921, 1.8610, 26.0, 1_010.0, 360_000, 4L));

  private final List<Well> wells;
  private final int rowsPerGroup;

  private WellLogDataset(List<Well> wells, int rowsPerGroup) {
    this.wells = List.copyOf(wells);
    this.rowsPerGroup = rowsPerGroup;
  }

  /** Four wells of 240k–360k rows each, about 80 MB of Parquet in all. */
  public static WellLogDataset standard() {
    return new WellLogDataset(STANDARD_WELLS, DEFAULT_ROWS_PER_GROUP);
  }

  /** The same wells with {@code rowsPerWell} rows each; small values keep tests fast. */
  public WellLogDataset withRows(int rowsPerWell, int rowsPerRowGroup) {
    if (rowsPerRowGroup <= 0) {
      throw new IllegalArgumentException(
          "rowsPerRowGroup: " + rowsPerRowGroup + " (expected: > 0)");
    }
    return new WellLogDataset(wells.stream().map(w -> w.withRows(rowsPerWell)).toList(),
        rowsPerRowGroup);
  }

  /** Every object key of the data set, in upload order. */
  public List<String> keys() {
    List<String> keys = new ArrayList<>(wells.size() * 2);
    for (Well well : wells) {
      keys.add(well.logsKey());
      keys.add(well.headerKey());
    }
    return keys;
  }

  List<Well> wells() {
    return wells;
  }

  int rowsPerGroup() {
    return rowsPerGroup;
  }

  /**
     * Seeds {@code client}'s server, printing progress to standard output.
     *
     * @throws IOException if a file cannot be generated in the temp directory
     */
  public SeedResult seed(S3Client client) throws IOException {
    return seed(client, System.out::println);
  }

  /** Creates the bucket if needed and uploads every missing object; present ones are kept. */
  public SeedResult seed(S3Client client, Consumer<String> progress)
      throws IOException {
    requireNonNull(client, "client");
    requireNonNull(progress, "progress");
    createBucketIfMissing(client);
    int total = wells.size() * 2;
    int done = 0;
    int uploaded = 0;
    long bytes = 0;
    for (Well well : wells) {
      if (!exists(client, well.logsKey())) {
        long size = uploadLogs(client, well);
        progress.accept(progressLine(++done, total, well.logsKey(), size));
        uploaded++;
        bytes += size;
      } else {
        done++;
      }
      // The header goes last so a present header means its well was complete.
      if (!exists(client, well.headerKey())) {
        byte[] header = WellHeader.json(well, rowsPerGroup)
            .getBytes(StandardCharsets.UTF_8);
        client.putObject(b -> b.bucket(BUCKET).key(well.headerKey())
            .contentType("application/json"), RequestBody.fromBytes(header));
        progress.accept(progressLine(++done, total, well.headerKey(), header.length));
        uploaded++;
        bytes += header.length;
      } else {
        done++;
      }
    }
    if (uploaded == 0) {
      progress.accept("demo data already present: " + total + " objects in s3://" + BUCKET);
    }
    return new SeedResult(uploaded, total - uploaded, bytes);
  }

  /** Writes one well's Parquet file to {@code out}, row group by row group, and closes it. */
  void writeLogs(Well well, OutputStream out) throws IOException {
    WellLogGenerator generator = new WellLogGenerator(well);
    double[][] group = new double[Curve.values().length][Math.min(rowsPerGroup, well.rows())];
    try (WellLogParquetWriter writer = new WellLogParquetWriter(out, Curve.COLUMN_NAMES)) {
      for (int first = 0; first < well.rows(); first += rowsPerGroup) {
        int count = Math.min(rowsPerGroup, well.rows() - first);
        generator.fill(group, count);
        writer.writeRowGroup(group, count);
      }
    }
  }

  // Generated into a temp file, never in memory: the SDK needs a length up front, and a
  // standard file is tens of MB.
  private long uploadLogs(S3Client client, Well well) throws IOException {
    Path temp = Files.createTempFile("strata-demo-" + well.name() + "-", ".parquet");
    try {
      writeLogs(well, new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16));
      client.putObject(b -> b.bucket(BUCKET).key(well.logsKey()).contentType(PARQUET_TYPE),
          RequestBody.fromFile(temp));
      return Files.size(temp);
    } finally {
      deleteQuietly(temp);
    }
  }

  private static void createBucketIfMissing(S3Client client) {
    try {
      client.headBucket(b -> b.bucket(BUCKET));
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
      client.createBucket(b -> b.bucket(BUCKET));
    }
  }

  private static boolean exists(S3Client client, String key) {
    try {
      client.headObject(b -> b.bucket(BUCKET).key(key));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private static String progressLine(int n, int total, String key, long size) {
    String amount = size >= 1_000_000
        ? String.format(Locale.ROOT, "%.1f MB", size / 1_000_000.0)
        : String.format(Locale.ROOT, "%.1f kB", size / 1_000.0);
    return String.format(Locale.ROOT, "seeding demo data: %d/%d %s  (%s)", n, total, key, amount);
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // A leftover temp file is harmless; failing the seed over it would not be.
    }
  }

  /** What {@link #seed} did: objects uploaded, objects already present, bytes uploaded. */
  public record SeedResult(int uploaded, int skipped, long bytesUploaded) {}
}
