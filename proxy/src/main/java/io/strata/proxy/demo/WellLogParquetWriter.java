package io.strata.proxy.demo;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.ColumnOrder;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Statistics;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.TypeDefinedOrder;
import org.apache.parquet.format.Util;

/**
 * Writes a flat Parquet file of REQUIRED DOUBLE columns, without Hadoop.
 *
 * <p>Why hand-rolled: parquet-mr's writers need Hadoop on the classpath, and the demo ships in the
 * fat jar, which must not carry Hadoop (see ENVIRONMENT-NOTES). The Thrift structures in
 * parquet-format-structures are all the format needs for this narrow case.
 *
 * <p>Layout, per the Parquet spec (https://parquet.apache.org/docs/file-format/): {@code PAR1},
 * then for each row group and each column one or more data pages (Thrift {@code PageHeader} +
 * PLAIN little-endian doubles, uncompressed; REQUIRED columns have max definition and repetition
 * level 0, so pages carry no levels), then the Thrift {@code FileMetaData}, its 4-byte
 * little-endian length and {@code PAR1}. Only one row group is in memory at a time.
 */
final class WellLogParquetWriter implements Closeable {

  /** File magic at both ends of every Parquet file. */
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
  /** Values per page: 1 MiB of doubles, parquet-mr's default page size. */
  static final int DEFAULT_PAGE_VALUES = 128 * 1024;
  /** Identifies the writer; parquet-mr only consults it to distrust old parquet-mr binary stats. */
  private static final String CREATED_BY = "strata-demo version 0.1.0 (build demo)";

  private final PositionOutputStream out;
  private final List<String> columns;
  private final int pageValues;
  private final List<RowGroup> rowGroups = new ArrayList<>();
  private final ByteBuffer page;
  private long rows;
  private boolean closed;

  WellLogParquetWriter(OutputStream out, List<String> columns) throws IOException {
    this(out, columns, DEFAULT_PAGE_VALUES);
  }

  WellLogParquetWriter(OutputStream out, List<String> columns, int pageValues)
      throws IOException {
    requireNonNull(out, "out");
    this.columns = List.copyOf(requireNonNull(columns, "columns"));
    if (this.columns.isEmpty()) {
      throw new IllegalArgumentException("columns: [] (expected: at least one)");
    }
    if (pageValues <= 0) {
      throw new IllegalArgumentException("pageValues: " + pageValues + " (expected: > 0)");
    }
    this.pageValues = pageValues;
    this.page = ByteBuffer.allocate(pageValues * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    this.out = new PositionOutputStream(out);
    this.out.write(MAGIC);
  }

  /** Writes one row group; {@code values[c][r]} is row {@code r} of column {@code c}. */
  void writeRowGroup(double[][] values, int rowCount) throws IOException {
    requireNonNull(values, "values");
    if (closed) {
      throw new IllegalStateException("writer is closed");
    }
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(
          "values: " + values.length + " columns (expected: " + columns.size() + ")");
    }
    if (rowCount <= 0) {
      throw new IllegalArgumentException("rowCount: " + rowCount + " (expected: > 0)");
    }
    long groupStart = out.position();
    List<ColumnChunk> chunks = new ArrayList<>(columns.size());
    for (int c = 0; c < columns.size(); c++) {
      if (values[c].length < rowCount) {
        throw new IllegalArgumentException("values[" + c + "]: " + values[c].length
            + " rows (expected: >= " + rowCount + ")");
      }
      chunks.add(writeColumnChunk(columns.get(c), values[c], rowCount));
    }
    long groupSize = out.position() - groupStart;
    RowGroup group = new RowGroup(chunks, groupSize, rowCount);
    group.setFile_offset(groupStart);
    group.setTotal_compressed_size(groupSize);
    rowGroups.add(group);
    rows += rowCount;
  }

  private ColumnChunk writeColumnChunk(String name, double[] values, int rowCount)
      throws IOException {
    long chunkStart = out.position();
    DoubleRange chunkRange = DoubleRange.EMPTY;
    for (int from = 0; from < rowCount; from += pageValues) {
      int count = Math.min(pageValues, rowCount - from);
      chunkRange = chunkRange.union(writePage(values, from, count));
    }
    long chunkSize = out.position() - chunkStart;
    // Uncompressed codec, so compressed and uncompressed sizes are the same number.
    ColumnMetaData meta = new ColumnMetaData(Type.DOUBLE,
        List.of(Encoding.PLAIN, Encoding.RLE), List.of(name),
        CompressionCodec.UNCOMPRESSED, rowCount, chunkSize, chunkSize, chunkStart);
    meta.setStatistics(chunkRange.toStatistics());
    // file_offset historically holds the chunk start in parquet-mr files; readers use the
    // page offsets in the metadata, which is written inline below.
    ColumnChunk chunk = new ColumnChunk(chunkStart);
    chunk.setMeta_data(meta);
    return chunk;
  }

  private DoubleRange writePage(double[] values, int from, int count) throws IOException {
    page.clear();
    for (int i = from; i < from + count; i++) {
      page.putDouble(values[i]);
    }
    DoubleRange range = DoubleRange.of(values, from, count);
    int size = page.position();
    CRC32 crc = new CRC32();
    crc.update(page.array(), 0, size);

    // Level encodings are required fields but unused: max levels are 0 for REQUIRED columns.
    DataPageHeader data = new DataPageHeader(count, Encoding.PLAIN, Encoding.RLE, Encoding.RLE);
    data.setStatistics(range.toStatistics());
    PageHeader header = new PageHeader(PageType.DATA_PAGE, size, size);
    header.setData_page_header(data);
    header.setCrc((int) crc.getValue());
    Util.writePageHeader(header, out);
    out.write(page.array(), 0, size);
    return range;
  }

  /** Writes the footer and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (out) {
      List<SchemaElement> schema = new ArrayList<>(columns.size() + 1);
      schema.add(new SchemaElement("schema").setNum_children(columns.size()));
      List<ColumnOrder> orders = new ArrayList<>(columns.size());
      for (String name : columns) {
        schema.add(new SchemaElement(name)
            .setType(Type.DOUBLE)
            .setRepetition_type(FieldRepetitionType.REQUIRED));
        // TYPE_ORDER tells readers that min_value/max_value use the type's own order.
        orders.add(ColumnOrder.TYPE_ORDER(new TypeDefinedOrder()));
      }
      FileMetaData footer = new FileMetaData(1, schema, rows, rowGroups)
          .setCreated_by(CREATED_BY)
          .setColumn_orders(orders);
      long footerStart = out.position();
      Util.writeFileMetaData(footer, out);
      int footerLength = Math.toIntExact(out.position() - footerStart);
      out.write(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN)
          .putInt(footerLength).array());
      out.write(MAGIC);
    }
  }

  /** Min and max of doubles, ignoring NaN; {@code EMPTY} until a number is seen. */
  record DoubleRange(double min, double max, boolean empty) {

    static final DoubleRange EMPTY = new DoubleRange(Double.NaN, Double.NaN, true);

    static DoubleRange of(double[] values, int from, int count) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      boolean any = false;
      for (int i = from; i < from + count; i++) {
        double v = values[i];
        if (Double.isNaN(v)) {
          continue;
        }
        any = true;
        // Double.compare orders -0.0 before +0.0, unlike < and >.
        lo = Double.compare(v, lo) < 0 ? v : lo;
        hi = Double.compare(v, hi) > 0 ? v : hi;
      }
      return any ? new DoubleRange(lo, hi, false) : EMPTY;
    }

    DoubleRange with(double v) {
      if (Double.isNaN(v)) {
        return this;
      }
      if (empty) {
        return new DoubleRange(v, v, false);
      }
      return new DoubleRange(Double.compare(v, min) < 0 ? v : min,
          Double.compare(v, max) > 0 ? v : max, false);
    }

    DoubleRange union(DoubleRange other) {
      return other.empty ? this : with(other.min).with(other.max);
    }

    Statistics toStatistics() {
      Statistics stats = new Statistics().setNull_count(0);
      if (empty) {
        return stats;
      }
      // The spec asks writers to widen zero bounds (min +0 → -0, max -0 → +0) so that
      // readers comparing with either zero never skip a matching page.
      double lo = Double.compare(min, 0.0) == 0 ? -0.0 : min;
      double hi = Double.compare(max, -0.0) == 0 ? 0.0 : max;
      byte[] loBytes = littleEndian(lo);
      byte[] hiBytes = littleEndian(hi);
      // The deprecated min/max fields use the same encoding; old readers only see those.
      return stats.setMin_value(loBytes).setMax_value(hiBytes)
          .setMin(loBytes.clone()).setMax(hiBytes.clone());
    }

    private static byte[] littleEndian(double v) {
      return ByteBuffer.allocate(Double.BYTES).order(ByteOrder.LITTLE_ENDIAN)
          .putDouble(v).array();
    }
  }

  /** Counts bytes written so offsets in the footer can be recorded as the file streams out. */
  private static final class PositionOutputStream extends FilterOutputStream {

    private long position;

    PositionOutputStream(OutputStream out) {
      super(out);
    }

    long position() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      position++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      position += len;
    }
  }
}
