package io.strata.proxy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.strata.proxy.config.ConfigurationError;
import java.util.Arrays;
import java.util.Map;

/**
 * Starts Strata: {@code java -jar strata.jar [--demo]}. A configuration error ends the process
 * with one line naming the key and what was expected, not a stack trace.
 */
public final class Application {

  private Application() {}

  public static void main(String[] args) {
    boolean demo = Arrays.asList(args).contains("--demo");
    // Not Micronaut.run(): it logs start-up failures as multi-page stack traces and exits 1.
    ApplicationContext context =
        ApplicationContext.builder()
            .mainClass(Application.class)
            .args(args)
            .banner(false)
            .properties(demo ? Map.of("strata.demo", "true") : Map.of())
            .build();
    try {
      context.start();
      context.findBean(EmbeddedServer.class).ifPresent(EmbeddedServer::start);
    } catch (Throwable t) {
      System.err.println("strata: " + firstLine(t));
      closeQuietly(context);
      System.exit(2);
      return;
    }
    // SIGTERM / Ctrl-C: close the context so the cache writes its clean-shutdown marker.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(context), "strata-shutdown"));
    Banner.print(context, demo);
  }

  private static void closeQuietly(ApplicationContext context) {
    try {
      context.close();
    } catch (RuntimeException e) {
      System.err.println("strata: error while stopping: " + firstLine(e));
    }
  }

  /** The message of our own configuration error if there is one in the chain, else the root cause. */
  private static String firstLine(Throwable t) {
    Throwable root = t;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ConfigurationError) {
        return c.getMessage();
      }
      root = c;
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
