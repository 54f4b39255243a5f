package io.strata.cache.parquet;

import java.util.List;
import java.util.Optional;

/**
 * One row group: its rows and its column chunks.
 *
 * @param index position in the file, from 0
 * @param rowCount rows in the group
 * @param chunks one per leaf column, in schema order
 */
public record RowGroup(int index, long rowCount, List<ColumnChunk> chunks) {

  public RowGroup {
    chunks = List.copyOf(chunks);
  }

  /** The chunk of the column at {@code path}, if the group has it. */
  public Optional<ColumnChunk> chunk(String path) {
    return chunks.stream().filter(c -> c.path().equals(path)).findFirst();
  }

  /** From the first byte of its first chunk to the last of its last. */
  public ByteSpan span() {
    long first = chunks.stream().mapToLong(c -> c.span().offset()).min().orElse(0);
    long end = chunks.stream().mapToLong(c -> c.span().end()).max().orElse(first + 1);
    return new ByteSpan(first, end - first);
  }
}
