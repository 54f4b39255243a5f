package io.strata.proxy.demo;

import static java.util.Objects.requireNonNull;

/**
 * One synthetic well: where it is, which interval was logged and the seed that makes its curves
 * reproducible.
 */
record Well(String name, String uwi, double latitude, double longitude, double kellyBushing,
    double startDepth, int rows, long seed) {

  /** Half-inch sampling, as high-resolution processed logs are delivered; at the usual half
     *  foot a few hundred thousand rows would put these wells tens of kilometres deep. */
  static final double DEPTH_STEP = 0.0127;

  Well {
    requireNonNull(name, "name");
    requireNonNull(uwi, "uwi");
    if (rows <= 0) {
      throw new IllegalArgumentException("rows: " + rows + " (expected: > 0)");
    }
  }

  Well withRows(int newRows) {
    return new Well(name, uwi, latitude, longitude, kellyBushing, startDepth, newRows, seed);
  }

  /** Depth of row {@code row}, rounded to 0.1 mm so values print cleanly and stay monotonic. */
  double depthAt(long row) {
    return Math.round((startDepth + row * DEPTH_STEP) * 10_000.0) / 10_000.0;
  }

  String logsKey() {
    return "wells/" + name + "/logs.parquet";
  }

  String headerKey() {
    return "wells/" + name + "/header.json";
  }
}
