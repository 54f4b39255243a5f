package io.strata.cache.parquet;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Statistics;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.Util;

/**
 * Footers serialized with the Parquet format's own Thrift classes (what every writer emits): a
 * well log with DEPTH and three curves in four row groups of 1000 rows, 100 m of depth each, the
 * DEPTH chunks with statistics.
 */
public final class ParquetTestFiles {

  public static final List<String> CURVES = List.of("DEPTH", "GR", "RHOB", "NPHI");
  public static final int GROUPS = 4;
  public static final long CHUNK = 10_000;
  /** Data starts after the leading magic. */
  public static final long DATA_START = 4;

  private ParquetTestFiles() {}

  /** The footer bytes (FileMetaData, length, magic) of the well log. */
  public static byte[] wellLogFooter() {
    return footer(wellLog());
  }


  public static FileMetaData wellLog() {
    List<SchemaElement> schema = new ArrayList<>();
    schema.add(new SchemaElement("schema").setNum_children(CURVES.size()));
    for (String c : CURVES) {
      schema.add(new SchemaElement(c).setType(Type.DOUBLE).setRepetition_type(FieldRepetitionType.REQUIRED));
    }
    List<org.apache.parquet.format.RowGroup> groups = new ArrayList<>();
    long offset = DATA_START;
    for (int g = 0; g < GROUPS; g++) {
      List<org.apache.parquet.format.ColumnChunk> chunks = new ArrayList<>();
      for (String c : CURVES) {
        ColumnMetaData meta = new ColumnMetaData(Type.DOUBLE, List.of(Encoding.PLAIN), List.of(c),
            CompressionCodec.SNAPPY, 1000, CHUNK * 2, CHUNK, offset);
        if (c.equals("DEPTH")) {
          meta.setStatistics(new Statistics().setMin_value(le(1000 + g * 100.0)).setMax_value(le(1099.5 + g * 100.0)));
        }
        chunks.add(new org.apache.parquet.format.ColumnChunk(offset).setMeta_data(meta));
        offset += CHUNK;
      }
      groups.add(new org.apache.parquet.format.RowGroup(chunks, CHUNK * CURVES.size(), 1000));
    }
    return new FileMetaData(1, schema, GROUPS * 1000L, groups);
  }

  public static byte[] footer(FileMetaData meta) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Util.writeFileMetaData(meta, out);
      int length = out.size();
      out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(length).array());
      out.write(FooterParser.MAGIC);
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] le(double v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v).array();
  }
}
