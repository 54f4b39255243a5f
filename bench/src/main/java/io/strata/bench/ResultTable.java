package io.strata.bench;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The side-by-side table of a run, rendered as Markdown: one row per measured figure, its value
 * for Strata, nginx and the bare upstream, the ratio to its peer from the same run, and the
 * target it is held to. Rows keep the order they were added in.
 */
final class ResultTable {

  /** One figure. Empty strings for cells that do not apply. */
  record Row(String scenario, String measure, String strata, String nginx, String upstream, String ratio,
      String target, String verdict) {
    Row {
      requireNonNull(scenario, "scenario");
      requireNonNull(measure, "measure");
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  void add(Row row) {
    rows.add(requireNonNull(row, "row"));
  }

  /** A line printed under the table (how a figure was measured, what to read into it). */
  void note(String note) {
    notes.add(requireNonNull(note, "note"));
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("| # | measure | Strata | nginx slice cache | upstream direct | ratio (same run) | target | met |\n");
    out.append("|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      out.append("| ").append(cell(r.scenario()))
          .append(" | ").append(cell(r.measure()))
          .append(" | ").append(cell(r.strata()))
          .append(" | ").append(cell(r.nginx()))
          .append(" | ").append(cell(r.upstream()))
          .append(" | ").append(cell(r.ratio()))
          .append(" | ").append(cell(r.target()))
          .append(" | ").append(cell(r.verdict()))
          .append(" |\n");
    }
    if (!notes.isEmpty()) {
      out.append('\n');
      for (String note : notes) {
        out.append("- ").append(note).append('\n');
      }
    }
    return out.toString();
  }

  private static String cell(String value) {
    return value == null || value.isEmpty() ? "" : value.replace("|", "\\|").replace("\n", " ");
  }

  /** A number with {@code digits} decimals, locale-independent. */
  static String fixed(double value, int digits) {
    return String.format(Locale.ROOT, "%." + digits + "f", value);
  }

  /** A ratio such as {@code 1.62×}. */
  static String times(double ratio) {
    return Double.isFinite(ratio) ? fixed(ratio, 2) + "×" : "n/a";
  }

  /** {@code yes}, or {@code NO} so that a missed target stands out in the table. */
  static String verdict(boolean met) {
    return met ? "yes" : "NO";
  }
}
