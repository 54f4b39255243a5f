package io.strata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * A large well-log Parquet file as logging tools produce it: one row per depth sample (every
 * 0.1524 m, six inches) with a sorted {@code DEPTH} and a dozen curves, Snappy-compressed, 32 MiB
 * row groups and parquet-mr's default 1 MiB pages with column indexes, so that a depth window
 * prunes row groups by statistics and pages by the column index, as a query engine relies on.
 */
final class WellLogFile {

  static final List<String> CURVES =
      List.of("GR", "RHOB", "NPHI", "DT", "RT", "RXO", "SP", "CALI", "PEF", "DRHO", "ILD");
  static final double TOP = 1000.0;
  static final double STEP = 0.1524;
  static final MessageType SCHEMA = MessageTypeParser.parseMessageType(schemaText(CURVES));

  private WellLogFile() {}

  static String schemaText(List<String> columns) {
    StringBuilder s = new StringBuilder("message well_log {\n  required double DEPTH;\n");
    columns.forEach(c -> s.append("  required double ").append(c).append(";\n"));
    return s.append("}\n").toString();
  }

  /** Writes {@code rows} samples to {@code file} (replacing it). */
  static void write(Path file, int rows) throws IOException {
    Files.deleteIfExists(file);
    Files.createDirectories(file.toAbsolutePath().getParent());
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    SplittableRandom random = new SplittableRandom(42);
    double[] values = new double[CURVES.size()];
    for (int c = 0; c < values.length; c++) {
      values[c] = 50 + 10 * c;
    }
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(
            new org.apache.hadoop.fs.Path(file.toAbsolutePath().toUri()))
        .withConf(new Configuration())
        .withType(SCHEMA)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withRowGroupSize(32L * 1024 * 1024)
        .withPageSize(1024 * 1024)
        .build()) {
      for (int i = 0; i < rows; i++) {
        Group row = groups.newGroup().append("DEPTH", TOP + i * STEP);
        for (int c = 0; c < values.length; c++) {
          values[c] += random.nextDouble(-1, 1); // a random walk: curves wander like real logs
          row.append(CURVES.get(c), values[c]);
        }
        writer.write(row);
      }
    }
  }
}
