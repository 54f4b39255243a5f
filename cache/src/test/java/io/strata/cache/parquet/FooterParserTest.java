package io.strata.cache.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.Test;

/**
 * Footers serialized with the Parquet format's own Thrift classes (what every writer emits): a
 * well log with DEPTH and three curves in four row groups of 1000 rows, 100 m of depth each.
 */
class FooterParserTest {

  static final List<String> CURVES = List.of("DEPTH", "GR", "RHOB", "NPHI");
  static final int GROUPS = 4;
  static final long CHUNK = 10_000;
  /** Data starts after the leading magic. */
  static final long DATA_START = 4;

  @Test
  void parse_wellLogFooter_givesColumnsRowGroupsSpansAndDepthStatistics() {
    byte[] footer = footer(wellLog());
    long fileSize = DATA_START + GROUPS * CURVES.size() * CHUNK + footer.length;

    ParquetFooter parsed = FooterParser.parse(footer, fileSize);

    assertThat(parsed.columns()).containsExactlyElementsOf(CURVES);
    assertThat(parsed.rowCount()).isEqualTo(4000);
    assertThat(parsed.rowGroups()).hasSize(GROUPS);
    assertThat(parsed.span()).isEqualTo(new ByteSpan(fileSize - footer.length, footer.length));
    RowGroup second = parsed.rowGroups().get(1);
    ColumnChunk depth = second.chunk("DEPTH").orElseThrow();
    assertThat(depth.min()).isEqualTo(1100.0);
    assertThat(depth.max()).isEqualTo(1199.5);
    assertThat(depth.codec()).isEqualTo("SNAPPY");
    assertThat(depth.physicalType()).isEqualTo("DOUBLE");
    assertThat(second.chunk("GR").orElseThrow().span()).isEqualTo(new ByteSpan(DATA_START + 5 * CHUNK, CHUNK));
    assertThat(second.span()).isEqualTo(new ByteSpan(DATA_START + 4 * CHUNK, 4 * CHUNK));
    assertThat(second.chunk("GR").orElseThrow().min()).as("no statistics written for curves").isNull();
  }

  @Test
  void footerLength_fromTheLastEightBytes() {
    byte[] footer = footer(wellLog());
    byte[] last = java.util.Arrays.copyOfRange(footer, footer.length - 8, footer.length);
    assertThat(FooterParser.footerLength(last, 1_000_000)).isEqualTo(footer.length);
    assertThatThrownBy(() -> FooterParser.footerLength(last, footer.length)).isInstanceOf(NotParquetException.class)
        .hasMessageContaining("does not fit");
    assertThatThrownBy(() -> FooterParser.footerLength("12345678".getBytes(), 1000)).isInstanceOf(NotParquetException.class)
        .hasMessageContaining("PAR1");
  }

  @Test
  void parse_garbageBeforeTheTrailer_isNotParquet() {
    byte[] footer = footer(wellLog());
    java.util.Arrays.fill(footer, 0, footer.length - 8, (byte) 0x7f);
    assertThatThrownBy(() -> FooterParser.parse(footer, 1_000_000)).isInstanceOf(NotParquetException.class);
  }

  @Test
  void plan_twoCurvesOverADepthWindow_isFooterPlusThoseChunksOfOverlappingGroups() {
    byte[] footer = footer(wellLog());
    long fileSize = DATA_START + GROUPS * CURVES.size() * CHUNK + footer.length;
    ParquetFooter parsed = FooterParser.parse(footer, fileSize);

    // 1150..1250 touches row groups 1 (1100..1199.5) and 2 (1200..1299.5)
    List<ByteSpan> spans = ReadPlanner.plan(parsed, List.of("gr", "RHOB"), new ValueRange("DEPTH", 1150, 1250));

    long g1 = DATA_START + 4 * CHUNK;
    long g2 = DATA_START + 8 * CHUNK;
    assertThat(spans).containsExactly(
        new ByteSpan(g1, 3 * CHUNK), // DEPTH, GR, RHOB of group 1 touch: one span
        new ByteSpan(g2, 3 * CHUNK),
        parsed.span());
    assertThat(ReadPlanner.bytes(spans)).isLessThan(fileSize / 2);
  }

  @Test
  void plan_noRange_allGroups_andUnknownColumnsNamed() {
    ParquetFooter parsed = FooterParser.parse(footer(wellLog()), 1_000_000);
    assertThat(ReadPlanner.plan(parsed, List.of("NPHI"), null)).hasSize(GROUPS + 1);
    assertThatThrownBy(() -> ReadPlanner.plan(parsed, List.of("GR", "CALI"), new ValueRange("TVD", 0, 1)))
        .isInstanceOfSatisfying(UnknownColumnsException.class, e -> {
          assertThat(e.unknown()).containsExactly("CALI", "TVD");
          assertThat(e.available()).containsExactlyElementsOf(CURVES);
        });
  }

  // --- a footer as a writer would emit it ---

  static FileMetaData wellLog() {
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

  static byte[] footer(FileMetaData meta) {
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
