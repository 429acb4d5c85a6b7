package org.collegedb.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy for fault-injection tests: it listens on 127.0.0.1 (never on another interface) and forwards each
 * connection to a database server, until the test tells it to misbehave.
 *
 * <ul>
 *   <li>{@link #forward()}: pass bytes both ways (the start state);</li>
 *   <li>{@link #refuse()}: accept new connections and reset them at once (the server looks down); current ones
 *       go on;</li>
 *   <li>{@link #cutAll()}: reset every current connection (the server crashed, or the network broke);</li>
 *   <li>{@link #blackHole()}: keep every connection, new and current, open but forward nothing either way (a hung
 *       server or a dropped route: the client waits until its own timeout);</li>
 *   <li>{@link #cutWhenClientSends}: reset a connection when the client sends bytes matching a pattern (for example
 *       {@code COMMIT PREPARED} in the PostgreSQL or MariaDB protocol), either before the server sees them or after
 *       the server has acted on them but before its answer reaches the client.</li>
 * </ul>
 *
 * <p>Use {@link #jdbcUrl} to point a JDBC URL at the proxy instead of the server.
 */
public final class FaultProxy implements AutoCloseable {
  /** What the proxy does with traffic. */
  public enum Mode { FORWARD, REFUSE, BLACK_HOLE }

  /** When a matched connection is cut: before the matching bytes reach the server, or after its answer comes. */
  public enum Cut { BEFORE_SERVER, BEFORE_ANSWER }

  private record Trigger(Pattern pattern, Cut cut, boolean once) {
  }

  private final String targetHost;
  private final int targetPort;
  private final ServerSocket server;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger triggered = new AtomicInteger();
  private volatile Mode mode = Mode.FORWARD;
  private volatile Trigger trigger;
  private volatile boolean closed;

  /** Starts a proxy on a free port of 127.0.0.1 in front of {@code targetHost:targetPort}. */
  public FaultProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    Thread t = new Thread(this::acceptLoop, "fault-proxy-" + port());
    t.setDaemon(true);
    t.start();
  }

  /** The port the proxy listens on, on 127.0.0.1. */
  public int port() {
    return server.getLocalPort();
  }

  /** {@code url} with its first {@code host:port} (after {@code //}) replaced by the proxy's address. */
  public String jdbcUrl(String url) {
    Matcher m = Pattern.compile("//[^/:]+(:\\d+)?").matcher(url);
    if (!m.find()) {
      throw new IllegalArgumentException("no //host:port in " + url);
    }
    return url.substring(0, m.start()) + "//127.0.0.1:" + port() + url.substring(m.end());
  }

  public Mode mode() {
    return mode;
  }

  /** Forward traffic again (connections that were black-holed stay open but may be out of step: cut them). */
  public void forward() {
    mode = Mode.FORWARD;
  }

  /** New connections are reset as soon as they are accepted. */
  public void refuse() {
    mode = Mode.REFUSE;
  }

  /** Nothing is forwarded either way; connections stay open. */
  public void blackHole() {
    mode = Mode.BLACK_HOLE;
  }

  /** Resets every current connection. The mode stays as it is. */
  public void cutAll() {
    for (Link l : links) {
      l.cut();
    }
  }

  /** {@link #refuse()} and {@link #cutAll()}: the server is gone. */
  public void kill() {
    refuse();
    cutAll();
  }

  /**
   * Cuts a connection when the client sends bytes matching {@code regex} (matched in ISO-8859-1 text of each chunk
   * read, so protocol framing bytes do not stop a match of the statement text). With {@code once}, only the first
   * match cuts; {@link #clearTrigger()} removes it.
   */
  public void cutWhenClientSends(String regex, Cut cut, boolean once) {
    trigger = new Trigger(Pattern.compile(regex), cut, once);
  }

  public void clearTrigger() {
    trigger = null;
  }

  /** How many connections the trigger has cut. */
  public int triggered() {
    return triggered.get();
  }

  /** Connections accepted since start, including refused ones. */
  public int accepted() {
    return accepted.get();
  }

  /** Connections currently open through the proxy. */
  public int open() {
    return links.size();
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    cutAll();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      accepted.incrementAndGet();
      if (mode == Mode.REFUSE) {
        reset(client);
        continue;
      }
      Socket upstream;
      try {
        upstream = new Socket(targetHost, targetPort);
      } catch (IOException e) {
        reset(client);
        continue;
      }
      Link link = new Link(client, upstream);
      links.add(link);
      link.start();
    }
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0); // RST, as a crashed peer or a broken route gives
    } catch (SocketException ignored) {
      // closed already
    }
    try {
      s.close();
    } catch (IOException ignored) {
      // closed already
    }
  }

  /** One client connection and its connection to the server. */
  private final class Link {
    private final Socket client;
    private final Socket upstream;
    private volatile boolean cutOnAnswer;
    private volatile boolean cut;

    Link(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void start() {
      Thread up = new Thread(() -> pump(true), "fault-proxy-up-" + port());
      Thread down = new Thread(() -> pump(false), "fault-proxy-down-" + port());
      up.setDaemon(true);
      down.setDaemon(true);
      up.start();
      down.start();
    }

    void cut() {
      cut = true;
      links.remove(this);
      reset(client);
      reset(upstream);
    }

    private void pump(boolean fromClient) {
      byte[] buffer = new byte[16384];
      try {
        InputStream in = (fromClient ? client : upstream).getInputStream();
        OutputStream out = (fromClient ? upstream : client).getOutputStream();
        while (!cut) {
          int n = in.read(buffer);
          if (n < 0) {
            break;
          }
          if (mode == Mode.BLACK_HOLE) {
            continue; // swallowed: the peer waits for an answer that never comes
          }
          if (fromClient) {
            Trigger t = trigger;
            if (t != null && t.pattern().matcher(new String(buffer, 0, n, StandardCharsets.ISO_8859_1)).find()) {
              if (t.once()) {
                trigger = null;
              }
              triggered.incrementAndGet();
              if (t.cut() == Cut.BEFORE_SERVER) {
                cut();
                return;
              }
              cutOnAnswer = true;
            }
          } else if (cutOnAnswer) {
            cut(); // the server acted on the matched bytes; its answer is lost
            return;
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed or was cut: close the other
      }
      cut();
    }
  }
}
