package io.strata.cache.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Footers of {@link ParquetTestFiles}: parsed, and planned for curve x depth reads. */
class FooterParserTest {

  static final List<String> CURVES = ParquetTestFiles.CURVES;
  static final int GROUPS = ParquetTestFiles.GROUPS;
  static final long CHUNK = ParquetTestFiles.CHUNK;
  static final long DATA_START = ParquetTestFiles.DATA_START;

  @Test
  void parse_wellLogFooter_givesColumnsRowGroupsSpansAndDepthStatistics() {
    byte[] footer = ParquetTestFiles.wellLogFooter();
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
    byte[] footer = ParquetTestFiles.wellLogFooter();
    byte[] last = java.util.Arrays.copyOfRange(footer, footer.length - 8, footer.length);
    assertThat(FooterParser.footerLength(last, 1_000_000)).isEqualTo(footer.length);
    assertThatThrownBy(() -> FooterParser.footerLength(last, footer.length)).isInstanceOf(NotParquetException.class)
        .hasMessageContaining("does not fit");
    assertThatThrownBy(() -> FooterParser.footerLength("12345678".getBytes(), 1000)).isInstanceOf(NotParquetException.class)
        .hasMessageContaining("PAR1");
  }

  @Test
  void parse_garbageBeforeTheTrailer_isNotParquet() {
    byte[] footer = ParquetTestFiles.wellLogFooter();
    java.util.Arrays.fill(footer, 0, footer.length - 8, (byte) 0x7f);
    assertThatThrownBy(() -> FooterParser.parse(footer, 1_000_000)).isInstanceOf(NotParquetException.class);
  }

  @Test
  void plan_twoCurvesOverADepthWindow_isFooterPlusThoseChunksOfOverlappingGroups() {
    byte[] footer = ParquetTestFiles.wellLogFooter();
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
    ParquetFooter parsed = FooterParser.parse(ParquetTestFiles.wellLogFooter(), 1_000_000);
    assertThat(ReadPlanner.plan(parsed, List.of("NPHI"), null)).hasSize(GROUPS + 1);
    assertThatThrownBy(() -> ReadPlanner.plan(parsed, List.of("GR", "CALI"), new ValueRange("TVD", 0, 1)))
        .isInstanceOfSatisfying(UnknownColumnsException.class, e -> {
          assertThat(e.unknown()).containsExactly("CALI", "TVD");
          assertThat(e.available()).containsExactlyElementsOf(CURVES);
        });
  }
}
