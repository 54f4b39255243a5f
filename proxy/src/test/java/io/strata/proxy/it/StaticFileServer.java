package io.strata.proxy.it;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Serves one directory over HTTP on a loopback port: a web page's own origin for browser tests,
 * distinct from Strata's, so the page's S3 calls are cross-origin as a real viewer's would be.
 *
 * <p>Only GET, only files under the root. Types come from the extension: browsers refuse ES
 * modules not served as JavaScript, and {@code WebAssembly.instantiateStreaming} refuses
 * anything but {@code application/wasm}.
 */
final class StaticFileServer implements AutoCloseable {

  /** Media types by file extension; anything else is served as bytes. */
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript",
      "mjs", "text/javascript",
      "json", "application/json",
      "wasm", "application/wasm");

  private final Path root;
  private final HttpServer server;

  StaticFileServer(Path root) throws IOException {
    this.root = requireNonNull(root, "root").toAbsolutePath().normalize();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serve);
    server.start();
  }

  /** The origin pages are served from, e.g. {@code http://127.0.0.1:41234} (no trailing slash). */
  String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  URI uri(String pathAndQuery) {
    return URI.create(origin() + pathAndQuery);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String name = file.getFileName().toString();
      String extension = name.substring(name.lastIndexOf('.') + 1);
      exchange.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(extension, "application/octet-stream"));
      exchange.sendResponseHeaders(200, Files.size(file));
      try (OutputStream body = exchange.getResponseBody()) {
        Files.copy(file, body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
