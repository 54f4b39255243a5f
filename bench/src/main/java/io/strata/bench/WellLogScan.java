package io.strata.bench;

import static org.apache.parquet.filter2.predicate.FilterApi.and;
import static org.apache.parquet.filter2.predicate.FilterApi.doubleColumn;
import static org.apache.parquet.filter2.predicate.FilterApi.gtEq;
import static org.apache.parquet.filter2.predicate.FilterApi.ltEq;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * The query of scenario 6, done the way a JVM query engine does it with parquet-hadoop: two curves
 * ({@code GR}, {@code RHOB}) plus {@code DEPTH} over a depth window, with the predicate pushed down
 * (row-group statistics, then page column indexes) and only those three columns read. The file is
 * opened through a Hadoop {@link FileSystem}: the local one, or S3A pointed at Strata or the upstream.
 */
final class WellLogScan {

  /** Rows in the window and a checksum of what was read, to prove every source returned the same. */
  record Result(long rows, double grSum, double seconds) {}

  private WellLogScan() {}

  /** S3A configured as a query engine would for a path-style, plain-HTTP, anonymous endpoint. */
  static FileSystem s3a(URI endpoint, String bucket) throws IOException {
    Configuration conf = new Configuration(false);
    conf.set("fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    conf.set("fs.s3a.endpoint", endpoint.toString());
    conf.set("fs.s3a.endpoint.region", "us-east-1");
    conf.setBoolean("fs.s3a.path.style.access", true);
    conf.setBoolean("fs.s3a.connection.ssl.enabled", false);
    conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider");
    conf.setBoolean("fs.s3a.impl.disable.cache", true);
    // Columnar formats are read at random: the policy query engines set for Parquet.
    conf.set("fs.s3a.experimental.input.fadvise", "random");
    conf.set("fs.s3a.input.stream.type", "classic");
    return FileSystem.newInstance(URI.create("s3a://" + bucket + "/"), conf);
  }

  static FileSystem local() throws IOException {
    return FileSystem.getLocal(new Configuration(false));
  }

  static Result scan(FileSystem fs, Path file, double fromDepth, double toDepth) throws IOException {
    Configuration conf = new Configuration(fs.getConf());
    conf.set(ReadSupport.PARQUET_READ_SCHEMA, WellLogFile.schemaText(List.of("GR", "RHOB")));
    long start = System.nanoTime();
    long rows = 0;
    double grSum = 0;
    try (ParquetReader<Group> reader = new GroupReader(input(fs, file))
        .withConf(conf)
        .withFilter(FilterCompat.get(and(gtEq(doubleColumn("DEPTH"), fromDepth), ltEq(doubleColumn("DEPTH"), toDepth))))
        .build()) {
      for (Group row = reader.read(); row != null; row = reader.read()) {
        rows++;
        grSum += row.getDouble("GR", 0);
      }
    }
    return new Result(rows, grSum, (System.nanoTime() - start) / 1e9);
  }

  /** The file through {@code fs} itself (one status call, then streams), so no scan builds a new client. */
  private static InputFile input(FileSystem fs, Path file) throws IOException {
    long length = fs.getFileStatus(file).getLen();
    return new InputFile() {
      @Override
      public long getLength() {
        return length;
      }

      @Override
      public SeekableInputStream newStream() throws IOException {
        return HadoopStreams.wrap(fs.open(file));
      }
    };
  }

  private static final class GroupReader extends ParquetReader.Builder<Group> {
    GroupReader(InputFile file) {
      super(file);
    }

    @Override
    protected ReadSupport<Group> getReadSupport() {
      return new GroupReadSupport();
    }
  }
}
