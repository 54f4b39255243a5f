package io.strata.cache.parquet;

/**
 * A closed interval of one column's values, e.g. DEPTH from 1500 to 2500.
 *
 * @param column the column's dotted path
 * @param min the lowest value wanted
 * @param max the highest value wanted
 */
public record ValueRange(String column, double min, double max) {

  public ValueRange {
    if (column == null || column.isBlank()) {
      throw new IllegalArgumentException("a range needs a column");
    }
    if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
      throw new IllegalArgumentException("range " + min + ".." + max + " is empty");
    }
  }
}
