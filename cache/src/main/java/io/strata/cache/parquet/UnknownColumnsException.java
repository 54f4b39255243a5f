package io.strata.cache.parquet;

import java.util.List;

/** Columns were asked for that the file does not have; says which, and which it has. */
public final class UnknownColumnsException extends RuntimeException {

  private final List<String> unknown;
  private final List<String> available;

  public UnknownColumnsException(List<String> unknown, List<String> available) {
    super("unknown column(s) " + unknown + "; the file has " + available);
    this.unknown = List.copyOf(unknown);
    this.available = List.copyOf(available);
  }

  public List<String> unknown() {
    return unknown;
  }

  public List<String> available() {
    return available;
  }
}
