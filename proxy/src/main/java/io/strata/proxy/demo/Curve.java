package io.strata.proxy.demo;

import java.util.Arrays;
import java.util.List;

/**
 * The columns of every demo log file, in file order: the index first, then the curves of a
 * typical open-hole "triple combo" plus sonic, named by their usual LAS mnemonics.
 */
enum Curve {
  DEPTH("m", "measured depth"),
  GR("gAPI", "gamma ray"),
  RHOB("g/cm3", "bulk density"),
  NPHI("v/v", "neutron porosity, limestone units"),
  DT("us/ft", "compressional slowness"),
  RT("ohm.m", "deep resistivity"),
  CALI("in", "caliper"),
  SP("mV", "spontaneous potential"),
  PEF("b/e", "photoelectric factor");

  /** Column names in file order, as the Parquet schema lists them. */
  static final List<String> COLUMN_NAMES = Arrays.stream(values()).map(Enum::name).toList();

  private final String unit;
  private final String description;

  Curve(String unit, String description) {
    this.unit = unit;
    this.description = description;
  }

  String unit() {
    return unit;
  }

  String description() {
    return description;
  }
}
