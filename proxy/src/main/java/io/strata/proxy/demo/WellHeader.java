package io.strata.proxy.demo;

import java.util.Locale;

/**
 * Renders a well's {@code header.json}: the facts a LAS file's ~Well and ~Curve sections carry,
 * so a viewer can label plots without opening the Parquet file.
 */
final class WellHeader {

  private WellHeader() {}

  // Hand-written: every value is a known-safe name or a number, and the demo must not
  // depend on which JSON mapper the proxy ends up using.
  static String json(Well well, int rowsPerGroup) {
    StringBuilder json = new StringBuilder(1024);
    json.append("{\n");
    field(json, "well", quote(well.name()));
    field(json, "uwi", quote(well.uwi()));
    field(json, "field", quote("Strata Demo Field (synthetic)"));
    field(json, "latitude", number(well.latitude()));
    field(json, "longitude", number(well.longitude()));
    field(json, "kellyBushingM", number(well.kellyBushing()));
    field(json, "startDepthM", number(well.depthAt(0)));
    field(json, "stopDepthM", number(well.depthAt(well.rows() - 1L)));
    field(json, "stepM", number(Well.DEPTH_STEP));
    field(json, "rows", Integer.toString(well.rows()));
    field(json, "rowGroups", Integer.toString((well.rows() + rowsPerGroup - 1) / rowsPerGroup));
    field(json, "logs", quote(well.logsKey().substring(well.logsKey().lastIndexOf('/') + 1)));
    json.append("  \"curves\": [\n");
    Curve[] curves = Curve.values();
    for (int i = 0; i < curves.length; i++) {
      json.append("    {\"mnemonic\": ").append(quote(curves[i].name()))
          .append(", \"unit\": ").append(quote(curves[i].unit()))
          .append(", \"description\": ").append(quote(curves[i].description()))
          .append(i + 1 < curves.length ? "},\n" : "}\n");
    }
    json.append("  ]\n}\n");
    return json.toString();
  }

  private static void field(StringBuilder json, String name, String value) {
    json.append("  ").append(quote(name)).append(": ").append(value).append(",\n");
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static String number(double d) {
    return String.format(Locale.ROOT, "%.4f", d);
  }
}
