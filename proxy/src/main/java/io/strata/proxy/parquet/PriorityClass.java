package io.strata.proxy.parquet;

import java.util.Locale;

/** The seed design's priority classes: the higher, the later evicted. */
public enum PriorityClass {
  DEFAULT(0),
  RECENT(5),
  FAVORITE(8),
  VISIBLE(10);

  private final int value;

  PriorityClass(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  /** {@code visible}, {@code favorite}, {@code recent}, {@code default} (or null: default). */
  public static PriorityClass parse(String name) {
    if (name == null || name.isBlank()) {
      return DEFAULT;
    }
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("priority: '" + name
          + "' (expected: visible, favorite, recent or default)");
    }
  }
}
