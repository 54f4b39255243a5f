package io.strata.cache.parquet;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Works out exactly which bytes a reader of some columns over a value range needs: the footer,
 * and the chunks of those columns (and of the range's column, which the reader filters on) in the
 * row groups whose statistics overlap the range. This is what "make the curves I look at
 * available offline" costs, instead of the whole file. Where the file has a page index, a row
 * group's chunks narrow further to the pages that hold the range (see {@link PageIndexes}).
 */
public final class ReadPlanner {

  private ReadPlanner() {}

  /**
   * @param columns dotted column paths (matched exactly, else case-insensitively as query engines
   *     do); empty means every column
   * @param range the value range to keep, or null for all row groups
   * @return the spans to fetch, sorted, with touching or overlapping spans merged
   * @throws UnknownColumnsException when a column (or the range's column) is not in the file
   */
  public static List<ByteSpan> plan(ParquetFooter footer, List<String> columns, ValueRange range) {
    try {
      return plan(footer, columns, range, null);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e); // unreachable: nothing is read without page indexes
    }
  }

  /**
   * Like {@link #plan(ParquetFooter, List, ValueRange)}, narrowed to pages where the file has a
   * page index ({@code pageIndexes} reads its structures; null: never narrow).
   */
  public static List<ByteSpan> plan(ParquetFooter footer, List<String> columns, ValueRange range,
      PageIndexes pageIndexes) throws java.io.IOException {
    Set<String> wanted = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    List<String> asked = new ArrayList<>(columns.isEmpty() ? footer.columns() : columns);
    if (range != null) {
      asked.add(range.column());
    }
    for (String column : asked) {
      String resolved = resolve(footer.columns(), column);
      if (resolved == null) {
        unknown.add(column);
      } else {
        wanted.add(resolved);
      }
    }
    if (!unknown.isEmpty()) {
      throw new UnknownColumnsException(unknown, footer.columns());
    }
    String rangeColumn = range == null ? null : resolve(footer.columns(), range.column());
    List<ByteSpan> spans = new ArrayList<>();
    spans.add(footer.span());
    for (RowGroup group : footer.rowGroups()) {
      if (rangeColumn != null && !group.chunk(rangeColumn)
          .map(c -> c.mayOverlap(range.min(), range.max())).orElse(true)) {
        continue;
      }
      List<ByteSpan> pages = rangeColumn == null || pageIndexes == null ? null
          : pageIndexes.narrow(group, range, rangeColumn, List.copyOf(wanted));
      if (pages != null) {
        spans.addAll(pages);
        continue;
      }
      for (ColumnChunk chunk : group.chunks()) {
        if (wanted.contains(chunk.path())) {
          spans.add(chunk.span());
        }
      }
    }
    return merge(spans);
  }

  /** The file's column named {@code column}: exact match first, then a unique case-insensitive one. */
  static String resolve(List<String> available, String column) {
    if (available.contains(column)) {
      return column;
    }
    String lower = column.toLowerCase(Locale.ROOT);
    List<String> matches = available.stream()
        .filter(c -> c.toLowerCase(Locale.ROOT).equals(lower)).toList();
    return matches.size() == 1 ? matches.get(0) : null;
  }

  /** Sorted, with spans that overlap or touch joined into one. */
  static List<ByteSpan> merge(List<ByteSpan> spans) {
    List<ByteSpan> sorted = spans.stream().sorted().toList();
    List<ByteSpan> out = new ArrayList<>();
    for (ByteSpan s : sorted) {
      ByteSpan last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && s.offset() <= last.end()) {
        out.set(out.size() - 1, new ByteSpan(last.offset(), Math.max(last.end(), s.end()) - last.offset()));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  /** Total bytes of {@code spans}. */
  public static long bytes(List<ByteSpan> spans) {
    return spans.stream().mapToLong(ByteSpan::length).sum();
  }
}
