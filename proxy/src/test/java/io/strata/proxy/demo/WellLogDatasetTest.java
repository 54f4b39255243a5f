package io.strata.proxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WellLogDatasetTest {

  private static final int ROWS = 12_345;
  private static final int ROWS_PER_GROUP = 5_000;

  @TempDir
  Path dir;

  @Test
  void standard_fourWellsOfAFewHundredThousandRows() {
    WellLogDataset dataset = WellLogDataset.standard();

    assertThat(dataset.wells()).hasSize(4)
        .allSatisfy(w -> assertThat(w.rows()).isBetween(200_000, 400_000));
    assertThat(dataset.keys()).hasSize(8)
        .contains("wells/alder-1/logs.parquet", "wells/alder-1/header.json");
    assertThat(dataset.rowsPerGroup()).isEqualTo(50_000);
  }

  @Test
  void writeLogs_readBackEqualsGeneratedValues() throws IOException {
    WellLogDataset dataset = WellLogDataset.standard().withRows(ROWS, ROWS_PER_GROUP);
    Well well = dataset.wells().get(1);
    Path file = dir.resolve("logs.parquet");

    dataset.writeLogs(well, Files.newOutputStream(file));

    ParquetMetadata footer = ParquetReadBack.footer(file);
    assertThat(footer.getBlocks()).extracting(BlockMetaData::getRowCount)
        .containsExactly(5_000L, 5_000L, 2_345L);
    var fields = footer.getFileMetaData().getSchema().getFields();
    assertThat(fields).extracting(f -> f.getName()).isEqualTo(Curve.COLUMN_NAMES);
    assertThat(fields).allSatisfy(f -> {
      assertThat(f.isRepetition(Repetition.REQUIRED)).isTrue();
      assertThat(f.asPrimitiveType().getPrimitiveTypeName()).isEqualTo(PrimitiveTypeName.DOUBLE);
    });

    double[][] read = ParquetReadBack.values(file, Curve.COLUMN_NAMES, ROWS);
    double[][] expected = regenerate(well);
    for (int c = 0; c < expected.length; c++) {
      assertThat(read[c]).as(Curve.values()[c].name()).containsExactly(expected[c]);
    }
  }

  @Test
  void writeLogs_curvesArePlausible() throws IOException {
    WellLogDataset dataset = WellLogDataset.standard().withRows(ROWS, ROWS_PER_GROUP);
    Well well = dataset.wells().get(0);
    double[][] v = regenerate(well);

    for (int r = 1; r < ROWS; r++) {
      assertThat(v[Curve.DEPTH.ordinal()][r]).isGreaterThan(v[Curve.DEPTH.ordinal()][r - 1]);
    }
    assertThat(v[Curve.DEPTH.ordinal()][0]).isEqualTo(well.startDepth());
    assertRange(v, Curve.GR, 0, 200);
    assertRange(v, Curve.RHOB, 1.8, 3.0);
    assertRange(v, Curve.NPHI, -0.05, 0.65);
    assertRange(v, Curve.DT, 40, 140);
    assertRange(v, Curve.RT, 0.1, 2_500);
    assertRange(v, Curve.CALI, 8.0, 12.0);
    assertRange(v, Curve.SP, -150, 50);
    assertRange(v, Curve.PEF, 1.0, 6.0);
  }

  @Test
  void headerJson_namesWellAndCurves() {
    WellLogDataset dataset = WellLogDataset.standard().withRows(ROWS, ROWS_PER_GROUP);

    String json = WellHeader.json(dataset.wells().get(0), ROWS_PER_GROUP);

    assertThat(json).contains("\"well\": \"alder-1\"", "\"rows\": 12345", "\"rowGroups\": 3",
        "\"mnemonic\": \"RHOB\", \"unit\": \"g/cm3\"", "\"stepM\": 0.0127");
  }

  /** The generator is deterministic, so a fresh one fed the same chunks yields the same rows. */
  private static double[][] regenerate(Well well) {
    WellLogGenerator generator = new WellLogGenerator(well);
    double[][] all = new double[Curve.values().length][well.rows()];
    double[][] group = new double[Curve.values().length][ROWS_PER_GROUP];
    for (int first = 0; first < well.rows(); first += ROWS_PER_GROUP) {
      int count = Math.min(ROWS_PER_GROUP, well.rows() - first);
      generator.fill(group, count);
      for (int c = 0; c < all.length; c++) {
        System.arraycopy(group[c], 0, all[c], first, count);
      }
    }
    return all;
  }

  private static void assertRange(double[][] v, Curve curve, double lo, double hi) {
    var stats = java.util.Arrays.stream(v[curve.ordinal()]).summaryStatistics();
    assertThat(stats.getMin()).as(curve.name() + " min").isGreaterThanOrEqualTo(lo);
    assertThat(stats.getMax()).as(curve.name() + " max").isLessThanOrEqualTo(hi);
  }
}
