package io.strata.proxy.it;

import io.strata.proxy.demo.WellLogDataset;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/** Hadoop S3A as a query engine configures it for a non-AWS endpoint, and Parquet files on it. */
final class S3a {

  private S3a() {}

  /** A new, uncached S3A file system; the caller closes it. */
  static FileSystem fileSystem(URI endpoint, String accessKey, String secretKey, String fadvise) throws IOException {
    return fileSystem(endpoint, accessKey, secretKey, fadvise, WellLogDataset.BUCKET);
  }

  /** A new, uncached S3A file system for {@code bucket}; the caller closes it. */
  static FileSystem fileSystem(URI endpoint, String accessKey, String secretKey, String fadvise, String bucket)
      throws IOException {
    return fileSystem(endpoint, accessKey, secretKey, fadvise, bucket, java.util.Map.of());
  }

  /** The same, with further S3A {@code settings}. */
  static FileSystem fileSystem(URI endpoint, String accessKey, String secretKey, String fadvise, String bucket,
      java.util.Map<String, String> settings) throws IOException {
    Configuration conf = new Configuration(false);
    conf.set("fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    conf.set("fs.s3a.endpoint", endpoint.toString());
    conf.set("fs.s3a.endpoint.region", "us-east-1");
    conf.setBoolean("fs.s3a.path.style.access", true);
    conf.setBoolean("fs.s3a.connection.ssl.enabled", false);
    conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.set("fs.s3a.access.key", accessKey);
    conf.set("fs.s3a.secret.key", secretKey);
    conf.setBoolean("fs.s3a.impl.disable.cache", true);
    // where S3A buffers what it writes before the upload (core-default.xml's setting, not loaded here)
    conf.set("hadoop.tmp.dir", System.getProperty("java.io.tmpdir") + "/hadoop-" + System.getProperty("user.name"));
    conf.set("fs.s3a.experimental.input.fadvise", fadvise);
    if ("random".equals(fadvise)) {
      // Hadoop 3.4.3's default stream prefetches a file this small in one GET; the classic stream
      // honours the random policy, which is what shows the footer and column-chunk ranges.
      conf.set("fs.s3a.input.stream.type", "classic");
    }
    // Fail fast rather than retry for minutes if something is wrong.
    conf.setInt("fs.s3a.attempts.maximum", 1);
    conf.setInt("fs.s3a.retry.limit", 1);
    // S3A treats 503 as throttling and retries it for minutes by default; Strata's 503 is final.
    conf.setInt("fs.s3a.retry.throttle.limit", 1);
    conf.set("fs.s3a.retry.throttle.interval", "10ms");
    settings.forEach(conf::set);
    return FileSystem.newInstance(URI.create("s3a://" + bucket + "/"), conf);
  }

  /** The file as parquet sees it, opened through {@code fs} so the caller owns the client. */
  static InputFile input(FileSystem fs, String bucket, String key) throws IOException {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path("s3a://" + bucket + "/" + key);
    long length = fs.getFileStatus(path).getLen();
    return new InputFile() {
      @Override
      public long getLength() {
        return length;
      }

      @Override
      public SeekableInputStream newStream() throws IOException {
        return HadoopStreams.wrap(fs.open(path));
      }
    };
  }
}
