package io.strata.proxy.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WellLogParquetWriterTest {

  private static final List<String> COLUMNS = List.of("DEPTH", "GR", "RHOB");
  /** Row groups of uneven size, and pages that do not divide them, so the last page is short. */
  private static final int[] GROUP_ROWS = {1_000, 1_000, 517};
  private static final int PAGE_VALUES = 300;

  @TempDir
  Path dir;

  @Test
  void write_readBackByParquetHadoop() throws IOException {
    Path file = dir.resolve("t.parquet");
    int rows = writeSample(file);

    ParquetMetadata footer = ParquetReadBack.footer(file);
    MessageType expectedSchema = MessageTypeParser.parseMessageType(
        "message schema { required double DEPTH; required double GR; required double RHOB; }");
    assertThat(footer.getFileMetaData().getSchema()).isEqualTo(expectedSchema);
    assertThat(footer.getFileMetaData().getCreatedBy()).startsWith("strata-demo");
    List<BlockMetaData> blocks = footer.getBlocks();
    assertThat(blocks).hasSize(GROUP_ROWS.length);

    int first = 0;
    for (int g = 0; g < GROUP_ROWS.length; g++) {
      BlockMetaData block = blocks.get(g);
      assertThat(block.getRowCount()).isEqualTo(GROUP_ROWS[g]);
      for (int c = 0; c < COLUMNS.size(); c++) {
        ColumnChunkMetaData chunk = block.getColumns().get(c);
        assertThat(chunk.getPath().toDotString()).isEqualTo(COLUMNS.get(c));
        assertThat(chunk.getValueCount()).isEqualTo(GROUP_ROWS[g]);
        assertThat(chunk.getTotalSize()).isGreaterThan(GROUP_ROWS[g] * 8L);
        Statistics<?> stats = chunk.getStatistics();
        assertThat(stats.isEmpty()).isFalse();
        assertThat(stats.getNumNulls()).isZero();
        // value() is monotonic in the row for every column, so bounds are the ends.
        assertThat(stats.genericGetMin()).isEqualTo(value(c, first));
        assertThat(stats.genericGetMax()).isEqualTo(value(c, first + GROUP_ROWS[g] - 1));
      }
      first += GROUP_ROWS[g];
    }

    double[][] read = ParquetReadBack.values(file, COLUMNS, rows);
    for (int c = 0; c < COLUMNS.size(); c++) {
      for (int r = 0; r < rows; r++) {
        assertThat(read[c][r]).as("column %s row %d", COLUMNS.get(c), r)
            .isEqualTo(value(c, r));
      }
    }
  }

  @Test
  void write_endsWithFooterLengthAndMagic() throws IOException {
    Path file = dir.resolve("t.parquet");
    writeSample(file);

    byte[] bytes = Files.readAllBytes(file);
    assertThat(new String(bytes, 0, 4, "US-ASCII")).isEqualTo("PAR1");
    assertThat(new String(bytes, bytes.length - 4, 4, "US-ASCII")).isEqualTo("PAR1");
    int footerLength = ByteBuffer.wrap(bytes, bytes.length - 8, 4)
        .order(ByteOrder.LITTLE_ENDIAN).getInt();
    assertThat(footerLength).isBetween(1, bytes.length - 12);
    // The Thrift footer alone, as Strata's own footer parser will read it.
    var meta = org.apache.parquet.format.Util.readFileMetaData(new java.io.ByteArrayInputStream(
        bytes, bytes.length - 8 - footerLength, footerLength));
    assertThat(meta.getNum_rows()).isEqualTo(2_517);
    assertThat(meta.getRow_groups().get(0).getColumns().get(0).getMeta_data()
        .getData_page_offset()).isEqualTo(4);
  }

  @Test
  void statistics_widenZeroBoundsAndIgnoreNaN() {
    var range = WellLogParquetWriter.DoubleRange.of(new double[] {0.0, Double.NaN, -0.0}, 0, 3);
    assertThat(range.min()).isEqualTo(-0.0);
    assertThat(range.max()).isEqualTo(0.0);

    var stats = WellLogParquetWriter.DoubleRange.of(new double[] {0.0, 2.5}, 0, 2).toStatistics();
    assertThat(littleEndianDouble(stats.getMin_value())).isEqualTo(-0.0);
    assertThat(littleEndianDouble(stats.getMax_value())).isEqualTo(2.5);
    assertThat(stats.getMin()).isEqualTo(stats.getMin_value());

    var allNaN = WellLogParquetWriter.DoubleRange.of(new double[] {Double.NaN}, 0, 1);
    assertThat(allNaN.toStatistics().isSetMin_value()).isFalse();
  }

  @Test
  void writeRowGroup_wrongColumnCount_rejected() throws IOException {
    var writer = new WellLogParquetWriter(new ByteArrayOutputStream(), COLUMNS);
    assertThatThrownBy(() -> writer.writeRowGroup(new double[2][10], 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("values: 2 columns (expected: 3)");
  }

  private static int writeSample(Path file) throws IOException {
    int first = 0;
    try (var writer = new WellLogParquetWriter(Files.newOutputStream(file), COLUMNS,
        PAGE_VALUES)) {
      for (int rows : GROUP_ROWS) {
        double[][] group = new double[COLUMNS.size()][rows];
        for (int c = 0; c < COLUMNS.size(); c++) {
          for (int r = 0; r < rows; r++) {
            group[c][r] = value(c, first + r);
          }
        }
        writer.writeRowGroup(group, rows);
        first += rows;
      }
    }
    return first;
  }

  /** Strictly increasing in {@code row}; crosses zero so negative values are covered. */
  private static double value(int column, int row) {
    return (column + 1) * (row * 0.25 - 300.0) + column / 7.0;
  }

  private static double littleEndianDouble(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getDouble();
  }
}
