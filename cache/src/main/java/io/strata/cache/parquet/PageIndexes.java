package io.strata.cache.parquet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.ColumnIndex;
import org.apache.parquet.format.OffsetIndex;
import org.apache.parquet.format.PageLocation;
import org.apache.parquet.format.Util;

/**
 * Narrows a row group's read to pages with the Parquet page index ("Page Index" in the format
 * specification): the range column's column index gives each page's min and max, its offset index
 * the rows each page starts at; the rows whose pages may hold the range select, in every wanted
 * column, the pages that hold those rows (through that column's offset index), plus its dictionary
 * page. This is exactly what a reader filtering with the page index reads.
 */
public final class PageIndexes {

  /** Reads the index structures of a chunk; null where the file has none or they are unreadable. */
  public interface Source {
    byte[] read(ByteSpan span) throws IOException;
  }

  private final Source source;

  public PageIndexes(Source source) {
    this.source = source;
  }

  /**
   * The spans to read of {@code wanted} columns in {@code group} for {@code range}, or null when
   * the page index cannot narrow it (a chunk without one): then whole chunks are read.
   *
   * @return the spans (empty when no page can hold the range)
   */
  List<ByteSpan> narrow(RowGroup group, ValueRange range, String rangeColumn, List<String> wanted)
      throws IOException {
    ColumnChunk rangeChunk = group.chunk(rangeColumn).orElse(null);
    if (rangeChunk == null || rangeChunk.columnIndex() == null || rangeChunk.offsetIndex() == null) {
      return null;
    }
    ColumnIndex index = Util.readColumnIndex(new ByteArrayInputStream(source.read(rangeChunk.columnIndex())));
    List<PageLocation> rangePages = offsets(rangeChunk);
    if (rangePages == null || index.getMin_values().size() != rangePages.size()) {
      return null;
    }
    // Rows [first, last] of the pages that may hold values in the range.
    List<long[]> rows = new ArrayList<>();
    for (int p = 0; p < rangePages.size(); p++) {
      if (index.getNull_pages().get(p)) {
        continue;
      }
      Double min = FooterParser.decode(rangeChunk.physicalType(), bytes(index.getMin_values().get(p)));
      Double max = FooterParser.decode(rangeChunk.physicalType(), bytes(index.getMax_values().get(p)));
      if (min != null && max != null && (max < range.min() || min > range.max())) {
        continue;
      }
      long first = rangePages.get(p).getFirst_row_index();
      long last = p + 1 < rangePages.size() ? rangePages.get(p + 1).getFirst_row_index() - 1 : group.rowCount() - 1;
      rows.add(new long[] {first, last});
    }
    List<ByteSpan> spans = new ArrayList<>();
    if (rows.isEmpty()) {
      return spans;
    }
    spans.add(rangeChunk.columnIndex());
    for (String column : wanted) {
      ColumnChunk chunk = group.chunk(column).orElse(null);
      List<PageLocation> pages = chunk == null ? null : offsets(chunk);
      if (pages == null || pages.isEmpty()) {
        return null;
      }
      spans.add(chunk.offsetIndex());
      long firstData = pages.get(0).getOffset();
      if (chunk.dictionaryPageOffset() >= 0 && chunk.dictionaryPageOffset() < firstData) {
        spans.add(new ByteSpan(chunk.dictionaryPageOffset(), firstData - chunk.dictionaryPageOffset()));
      }
      for (int p = 0; p < pages.size(); p++) {
        long first = pages.get(p).getFirst_row_index();
        long last = p + 1 < pages.size() ? pages.get(p + 1).getFirst_row_index() - 1 : group.rowCount() - 1;
        if (rows.stream().anyMatch(r -> r[0] <= last && r[1] >= first)) {
          spans.add(new ByteSpan(pages.get(p).getOffset(), pages.get(p).getCompressed_page_size()));
        }
      }
    }
    return spans;
  }

  private List<PageLocation> offsets(ColumnChunk chunk) throws IOException {
    if (chunk.offsetIndex() == null) {
      return null;
    }
    OffsetIndex index = Util.readOffsetIndex(new ByteArrayInputStream(source.read(chunk.offsetIndex())));
    return index.getPage_locations();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
