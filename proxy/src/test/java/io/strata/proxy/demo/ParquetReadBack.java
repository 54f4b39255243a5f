package io.strata.proxy.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Reads a Parquet file back with parquet-hadoop, the reader query engines use, so the tests
 * judge {@link WellLogParquetWriter} by an independent implementation rather than by itself.
 */
final class ParquetReadBack {

  private ParquetReadBack() {}

  static Configuration conf() {
    Configuration conf = new Configuration();
    // Makes parquet-hadoop check every page CRC the writer recorded.
    conf.setBoolean("parquet.page.verify-checksum.enabled", true);
    return conf;
  }

  static ParquetMetadata footer(Path file) throws IOException {
    var input = HadoopInputFile.fromPath(hadoopPath(file), conf());
    try (ParquetFileReader reader = ParquetFileReader.open(input)) {
      return reader.getFooter();
    }
  }

  /** All values, {@code [column][row]}, read record by record through the example API. */
  static double[][] values(Path file, List<String> columns, int rows) throws IOException {
    double[][] values = new double[columns.size()][rows];
    try (ParquetReader<Group> reader = ParquetReader
        .builder(new GroupReadSupport(), hadoopPath(file)).withConf(conf()).build()) {
      for (int r = 0; r < rows; r++) {
        Group group = reader.read();
        if (group == null) {
          throw new AssertionError("file ends after " + r + " rows (expected " + rows + ")");
        }
        for (int c = 0; c < columns.size(); c++) {
          values[c][r] = group.getDouble(columns.get(c), 0);
        }
      }
      if (reader.read() != null) {
        throw new AssertionError("file has more than " + rows + " rows");
      }
    }
    return values;
  }

  private static org.apache.hadoop.fs.Path hadoopPath(Path file) {
    return new org.apache.hadoop.fs.Path(file.toUri());
  }
}
