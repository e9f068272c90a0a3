package dev.tandem.relay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tandem.common.TandemCounters;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Serves Tandem's counters as Prometheus text at {@code /metrics} (JDK HTTP server, one thread: cold path).
 */
public final class MetricsServer implements AutoCloseable
{
    private final HttpServer server;

    /**
     * @param address where to listen.
     * @param reader  the counters to render.
     * @throws IOException when the address cannot be bound.
     */
    public MetricsServer(final InetSocketAddress address, final CountersReader reader) throws IOException
    {
        server = HttpServer.create(address, 16);
        server.createContext("/metrics", (exchange) -> respond(exchange, reader));
        server.start();
    }

    private static void respond(final HttpExchange exchange, final CountersReader reader) throws IOException
    {
        try (exchange)
        {
            if (!"GET".equals(exchange.getRequestMethod()))
            {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            final StringBuilder text = new StringBuilder(4096);
            TandemCounters.renderPrometheus(reader, text);
            final byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        }
    }

    /**
     * @return the bound address (with the kernel's port when 0 was asked).
     */
    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
