package io.strata.proxy.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
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

  /**
   * Resets the connection carrying the response to the next GET after {@code bytes} bytes of that
   * response (the connection is armed when the GET's request line passes).
   */
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
                  Socket upstream;
                  // Under cut()'s lock: a connection accepted just before a cut must not outlive it.
                  synchronized (TcpFaultProxy.this) {
                    if (listening.isClosed()) {
                      reset(client);
                      continue;
                    }
                    upstream = new Socket(target.getAddress(), target.getPort());
                    open.add(client);
                    open.add(upstream);
                  }
                  AtomicLong armed = new AtomicLong(-1);
                  pump(client, upstream, true, armed);
                  pump(upstream, client, false, armed);
                } catch (IOException e) {
                  // closed by cut() or close()
                }
              }
            },
            "tcp-fault-proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  /** @param armed this connection's pending cut, handed from the request side to the response side */
  private void pump(Socket from, Socket to, boolean requests, AtomicLong armed) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              RequestRecorder recorder =
                  new RequestRecorder(this.requests, () -> {
                    long cut = cutNextResponseAfter.getAndSet(-1);
                    if (cut >= 0) armed.set(cut);
                  });
              long budget = -1;
              try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  if (requests) {
                    recorder.feed(buffer, n);
                  } else if (budget < 0) {
                    budget = armed.getAndSet(-1);
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

  /**
   * Parses the client-to-upstream byte stream just enough to record each request line and Range
   * header, skipping bodies by their Content-Length.
   */
  private static final class RequestRecorder {
    private final List<String> requests;
    private final Runnable onGet;
    private final StringBuilder head = new StringBuilder();
    private long bodyLeft;

    RequestRecorder(List<String> requests, Runnable onGet) {
      this.requests = requests;
      this.onGet = onGet;
    }

    void feed(byte[] buffer, int n) {
      int i = 0;
      while (i < n) {
        if (bodyLeft > 0) {
          int skip = (int) Math.min(bodyLeft, n - i);
          bodyLeft -= skip;
          i += skip;
          continue;
        }
        head.append((char) (buffer[i++] & 0xff));
        int length = head.length();
        if (length >= 4 && head.charAt(length - 1) == '\n' && head.charAt(length - 2) == '\r'
            && head.charAt(length - 3) == '\n' && head.charAt(length - 4) == '\r') {
          finishHead();
        }
      }
    }

    private void finishHead() {
      String[] lines = head.toString().split("\r\n");
      head.setLength(0);
      String line = lines[0];
      String range = "";
      for (String h : lines) {
        if (h.regionMatches(true, 0, "range:", 0, 6)) {
          range = " range=" + h.substring(6).trim();
        } else if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
          bodyLeft = Long.parseLong(h.substring(15).trim());
        }
      }
      int space = line.lastIndexOf(' ');
      requests.add((space > 0 ? line.substring(0, space) : line) + range);
      if (line.startsWith("GET ")) {
        onGet.run();
      }
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
