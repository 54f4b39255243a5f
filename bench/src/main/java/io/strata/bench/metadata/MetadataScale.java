package io.strata.bench.metadata;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Command line behind {@code bench/metadata-scale.sh}. Each command runs in its own JVM, so one
 * measurement never sees the heap or the page cache state another left behind in-process.
 *
 * <pre>
 * generate DIR BLOCKS [files]   make a cache directory (see {@link CacheDirGenerator})
 * open DIR                      open it, print one line of key=value figures ({@link OpenProbe})
 * </pre>
 */
public final class MetadataScale {

  private MetadataScale() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      usage();
      return;
    }
    Path dir = Path.of(args[1]);
    switch (args[0]) {
      case "generate" -> {
        if (args.length < 3) {
          usage();
          return;
        }
        long blocks = Long.parseLong(args[2]);
        boolean files = args.length > 3 && args[3].equals("files");
        long start = System.nanoTime();
        int objects = new CacheDirGenerator(dir, files).generate(blocks);
        System.out.printf(Locale.ROOT, "generated blocks=%d objects=%d files=%s seconds=%.1f%n",
            blocks, objects, files, (System.nanoTime() - start) / 1e9);
      }
      case "open" -> {
        OpenProbe p = OpenProbe.measure(dir);
        System.out.printf(Locale.ROOT,
            "openMillis=%.1f openCpuMillis=%.1f blocks=%d heapBeforeBytes=%d heapAfterBytes=%d heapHeldBytes=%d"
                + " rssBytes=%d%n",
            p.openMillis(), p.openCpuMillis(), p.blocks(), p.heapBeforeBytes(), p.heapAfterBytes(), p.heapHeldBytes(),
            p.rssBytes());
      }
      default -> usage();
    }
  }

  private static void usage() {
    System.err.println("usage: MetadataScale generate DIR BLOCKS [files] | open DIR");
    System.exit(2);
  }
}
