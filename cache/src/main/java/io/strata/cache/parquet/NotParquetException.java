package io.strata.cache.parquet;

/** The bytes are not a Parquet footer Strata can use; the message says why. */
public final class NotParquetException extends RuntimeException {

  public NotParquetException(String message) {
    super(message);
  }
}
