package io.strata.proxy.demo;

import static java.util.Objects.requireNonNull;

import java.util.Random;

/**
 * Synthesises plausible, self-consistent log curves for one {@link Well}, row by row.
 *
 * <p>Model: a layer cake of shale, sandstone and limestone beds of random thickness. Each bed
 * draws a shale volume, a porosity (compacting with depth) and a water saturation; those are
 * smoothed over ~25 cm, as a logging tool's vertical resolution would, and every curve is
 * derived from the same three numbers with textbook relations (linear gamma-ray index, bulk
 * density and Wyllie time-average mixing, Archie's law with a shale conductivity term). So GR
 * rises where RHOB/NPHI separate and RT drops, as a geoscientist would expect on a plot.
 *
 * <p>Deterministic: the same well and the same sequence of {@link #fill} calls give the same
 * values on every JVM ({@link Random} is specified), which lets tests regenerate expected rows.
 */
final class WellLogGenerator {

  /** Formation water resistivity, ohm.m at formation temperature. */
  private static final double RW = 0.05;
  /** Resistivity of pure shale, ohm.m. */
  private static final double R_SHALE = 2.5;
  /** Bit size, inches; the caliper reads this in gauge hole. */
  private static final double BIT_SIZE = 8.5;
  /** Depth over which porosity falls by 1/e (Athy's compaction law), metres. */
  private static final double COMPACTION_LENGTH = 2_500.0;
  /** Per-sample smoothing weight: about 20 samples (25 cm) of tool response. */
  private static final double SMOOTHING = 0.05;

  private final Well well;
  private final Random random;
  private long row;

  private Lithology lithology = Lithology.SHALE;
  private int bedSamplesLeft;
  private double bedShale;
  private double bedPorosity;
  private double bedWater;
  private double caliperWashout;

  // Smoothed state: what the tools "see".
  private double shale = 1.0;
  private double porosity = 0.1;
  private double water = 1.0;
  private double matrix = Lithology.SHALE.ordinal();
  private double spBaseline;

  WellLogGenerator(Well well) {
    this.well = requireNonNull(well, "well");
    this.random = new Random(well.seed());
  }

  /** Fills rows {@code 0..count-1} of each {@link Curve} column with the next rows. */
  void fill(double[][] columns, int count) {
    for (int i = 0; i < count; i++, row++) {
      double depth = well.depthAt(row);
      if (bedSamplesLeft-- <= 0) {
        startBed(depth);
      }
      shale += SMOOTHING * (bedShale - shale);
      porosity += SMOOTHING * (bedPorosity - porosity);
      water += SMOOTHING * (bedWater - water);
      matrix += SMOOTHING * (lithology.ordinal() - matrix);
      spBaseline += 0.002 * random.nextGaussian();

      // Blend matrix properties by the smoothed lithology so bed boundaries ramp.
      double lime = Math.max(0.0, matrix - 1.0);
      double sand = 1.0 - lime;
      double clean = 1.0 - shale;
      double rhoMatrix = shale * 2.68 + clean * (sand * 2.65 + lime * 2.71);
      double dtMatrix = shale * 95.0 + clean * (sand * 55.5 + lime * 47.6);
      double peMatrix = shale * 3.4 + clean * (sand * 1.81 + lime * 5.08);
      double rhoFluid = water * 1.05 + (1.0 - water) * 0.75; // brine vs light oil

      columns[Curve.DEPTH.ordinal()][i] = depth;
      columns[Curve.GR.ordinal()][i] = 18.0 + 115.0 * shale + noise(3.0);
      columns[Curve.RHOB.ordinal()][i] =
          porosity * rhoFluid + (1.0 - porosity) * rhoMatrix + noise(0.012);
      columns[Curve.NPHI.ordinal()][i] = Math.max(-0.02, porosity * (0.4 + 0.6 * water)
          + 0.28 * shale - 0.03 * sand * clean + noise(0.008));
      // Wyllie time average with 189 us/ft for brine.
      columns[Curve.DT.ordinal()][i] =
          porosity * 189.0 + (1.0 - porosity) * dtMatrix + noise(1.0);
      columns[Curve.RT.ordinal()][i] = resistivity() * Math.exp(noise(0.04));
      columns[Curve.CALI.ordinal()][i] = BIT_SIZE + shale * caliperWashout + noise(0.03);
      // Clean permeable beds deflect SP negative from the shale baseline.
      columns[Curve.SP.ordinal()][i] = spBaseline - 75.0 * clean * porosity / 0.25
          + noise(0.8);
      columns[Curve.PEF.ordinal()][i] = peMatrix + noise(0.06);
    }
  }

  /** Archie's law with a parallel shale conductivity (a simplified Simandoux). */
  private double resistivity() {
    double cleanConductivity =
        Math.pow(porosity, 2.0) * Math.pow(Math.max(water, 0.05), 2.0) / RW;
    double conductivity = shale / R_SHALE + (1.0 - shale) * cleanConductivity;
    return Math.min(2_000.0, 1.0 / Math.max(conductivity, 1e-4));
  }

  private void startBed(double depth) {
    lithology = Lithology.next(random, lithology);
    double thickness = 0.3 + -Math.log(1.0 - random.nextDouble()) * lithology.meanThickness;
    bedSamplesLeft = (int) Math.ceil(thickness / Well.DEPTH_STEP);
    double compaction = Math.exp(-Math.max(0.0, depth) / COMPACTION_LENGTH);
    switch (lithology) {
      case SHALE -> {
        bedShale = 0.75 + 0.25 * random.nextDouble();
        bedPorosity = 0.30 * compaction * (0.8 + 0.2 * random.nextDouble());
        bedWater = 1.0;
        caliperWashout = random.nextDouble() < 0.3 ? 0.5 + 2.0 * random.nextDouble() : 0.1;
      }
      case SAND -> {
        bedShale = 0.25 * random.nextDouble();
        bedPorosity = 0.38 * compaction * (0.6 + 0.4 * random.nextDouble());
        // About one sand in five holds hydrocarbons.
        bedWater = random.nextDouble() < 0.2 ? 0.15 + 0.3 * random.nextDouble() : 1.0;
      }
      case LIME -> {
        bedShale = 0.1 * random.nextDouble();
        bedPorosity = 0.03 + 0.12 * random.nextDouble() * compaction;
        bedWater = random.nextDouble() < 0.15 ? 0.2 + 0.3 * random.nextDouble() : 1.0;
      }
    }
  }

  private double noise(double sigma) {
    return sigma * random.nextGaussian();
  }

  /** Ordinals are the matrix blend index: shale and sand mix as 0..1, sand and lime as 1..2. */
  private enum Lithology {
    SHALE(4.0),
    SAND(3.0),
    LIME(6.0);

    /** Mean bed thickness, metres. */
    private final double meanThickness;

    Lithology(double meanThickness) {
      this.meanThickness = meanThickness;
    }

    static Lithology next(Random random, Lithology current) {
      // Shale separates most reservoir beds, as in a typical clastic/carbonate sequence.
      double p = random.nextDouble();
      if (current != SHALE) {
        return p < 0.75 ? SHALE : (current == SAND ? LIME : SAND);
      }
      return p < 0.7 ? SAND : LIME;
    }
  }
}
