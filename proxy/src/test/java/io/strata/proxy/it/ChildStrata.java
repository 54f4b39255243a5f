package io.strata.proxy.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Strata started as a child JVM by a test: waiting for its S3 port, keeping its output. */
final class ChildStrata {

  private static final Pattern LISTENING = Pattern.compile("S3 endpoint : http://127\\.0\\.0\\.1:(\\d+)");

  private ChildStrata() {}

  /**
   * Reads the child's output (stdout and stderr merged) into {@code output} until its banner
   * names the S3 port, then keeps reading in the background so the child never blocks on a full
   * pipe.
   *
   * @return the S3 port
   */
  static int awaitS3Port(Process child, List<String> output) throws IOException, InterruptedException {
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      output.add(line);
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        Thread drain = new Thread(() -> out.lines().forEach(output::add));
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(m.group(1));
      }
    }
    throw new AssertionError("Strata exited before listening: exit " + child.waitFor() + "\n" + String.join("\n", output));
  }
}
