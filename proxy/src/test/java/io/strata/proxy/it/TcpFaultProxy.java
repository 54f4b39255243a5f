package io.strata.proxy.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder between Strata and the real upstream that can take the network away ({@link
 * #cut()}: connections refused, open ones reset) and give it back ({@link #restore()}, same port),
 * cut one response after some bytes, and records the request lines that went through, so tests
 * count real upstream requests.
 */
final class TcpFaultProxy implements AutoCloseable {

  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  /** When >= 0: the next response is cut (connection reset) after this many bytes. */
  private final AtomicLong cutNextResponseAfter = new AtomicLong(-1);
  private volatile ServerSocket server;

  TcpFaultProxy(URI target) throws IOException {
    this.target = new InetSocketAddress(target.getHost(), target.getPort());
    this.server = bind(0);
    this.port = server.getLocalPort();
    acceptLoop(server);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Request lines ("GET /bucket/key?x" + " range=...") seen since the last {@link #clearRequests()}. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  long count(String methodAndPathPrefix) {
    return requests.stream().filter(r -> r.startsWith(methodAndPathPrefix)).count();
  }

  void clearRequests() {
    requests.clear();
  }

  /** The network is gone: new connections are refused and open ones reset. */
  synchronized void cut() throws IOException {
    server.close();
    for (Socket s : open) {
      reset(s);
    }
    open.clear();
  }

  /** The network is back on the same port. */
  synchronized void restore() throws IOException {
    if (server.isClosed()) {
      server = bind(port);
      acceptLoop(server);
    }
  }

  /** Resets the connection carrying the next response after {@code bytes} bytes of it. */
  void cutNextResponseAfter(long bytes) {
    cutNextResponseAfter.set(bytes);
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return s;
  }

  private void acceptLoop(ServerSocket listening) {
    Thread t =
        new Thread(
            () -> {
              while (!listening.isClosed()) {
                try {
                  Socket client = listening.accept();
                  Socket upstream = new Socket(target.getAddress(), target.getPort());
                  open.add(client);
                  open.add(upstream);
                  pump(client, upstream, true);
                  pump(upstream, client, false);
                } catch (IOException e) {
                  // closed by cut() or close()
                }
              }
            },
            "tcp-fault-proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  private void pump(Socket from, Socket to, boolean requests) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              StringBuilder head = new StringBuilder();
              long budget = -1;
              try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  if (requests) {
                    record(head, buffer, n);
                  } else if (budget < 0) {
                    budget = cutNextResponseAfter.getAndSet(-1);
                  }
                  if (!requests && budget >= 0) {
                    if (n > budget) {
                      out.write(buffer, 0, (int) budget);
                      out.flush();
                      reset(to);
                      reset(from);
                      return;
                    }
                    budget -= n;
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // one side went away
              } finally {
                close(from);
                close(to);
              }
            },
            "tcp-fault-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Extracts request lines and Range headers from the client-to-upstream byte stream (no bodies on reads). */
  private void record(StringBuilder head, byte[] buffer, int n) {
    head.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
    int end;
    while ((end = head.indexOf("\r\n\r\n")) >= 0) {
      String block = head.substring(0, end);
      head.delete(0, end + 4);
      String[] lines = block.split("\r\n");
      String line = lines[0];
      String range = "";
      for (String h : lines) {
        if (h.regionMatches(true, 0, "range:", 0, 6)) {
          range = " range=" + h.substring(6).trim();
        }
      }
      requests.add(line.substring(0, line.lastIndexOf(' ')) + range);
    }
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // already closed
    }
    close(s);
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
