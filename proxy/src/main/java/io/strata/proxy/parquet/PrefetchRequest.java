package io.strata.proxy.parquet;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * {@code POST /api/prefetch}: what to make available offline.
 *
 * <pre>
 * {"bucket": "well-logs", "prefix": "wells/", "columns": ["GR", "RHOB"],
 *  "range": {"column": "DEPTH", "min": 1500, "max": 2500}, "priority": "visible"}
 * </pre>
 *
 * @param bucket the bucket
 * @param keys the objects, or null to select by {@code prefix}
 * @param prefix every object under it, when {@code keys} is not given
 * @param columns for Parquet objects, the columns wanted (empty or null: all)
 * @param range for Parquet objects, the value range of one column (row groups outside it are
 *     skipped); null for all rows
 * @param priority {@code visible}, {@code favorite}, {@code recent} or {@code default} (null)
 */
@Serdeable
public record PrefetchRequest(
    String bucket,
    @Nullable List<String> keys,
    @Nullable String prefix,
    @Nullable List<String> columns,
    @Nullable Range range,
    @Nullable String priority) {

  /** A value range of one column, e.g. DEPTH 1500 to 2500. */
  @Serdeable
  public record Range(String column, @Nullable Double min, @Nullable Double max) {}
}
