package dev.tandem.signaling;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what {@code java.net.http.HttpClient} hides: connection reuse, lying
 * Content-Length, half-sent requests.
 */
final class RawHttp implements AutoCloseable
{
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /**
     * A parsed response.
     */
    static final class Response
    {
        final int status;
        final Map<String, String> headers;
        final byte[] body;

        Response(final int status, final Map<String, String> headers, final byte[] body)
        {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        String header(final String name)
        {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText()
        {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    RawHttp(final InetSocketAddress address, final int readTimeoutMs) throws IOException
    {
        socket = new Socket();
        socket.connect(address, 2000);
        socket.setSoTimeout(readTimeoutMs);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(final String text) throws IOException
    {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /**
     * @return the next response; its body is read by Content-Length (none for HEAD-like answers without one).
     * @throws IOException when the connection closes first.
     */
    Response read() throws IOException
    {
        final String statusLine = readLine();
        if (statusLine == null)
        {
            throw new IOException("connection closed before a response");
        }
        final int status = Integer.parseInt(statusLine.split(" ")[1]);
        final Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine()) != null && !line.isEmpty())
        {
            final int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        final String length = headers.get("content-length");
        final byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
        return new Response(status, headers, body);
    }

    /**
     * @return true when the server closed the connection (EOF or reset) before the read timeout.
     */
    boolean closedByServer()
    {
        try
        {
            return in.read() < 0;
        }
        catch (final java.net.SocketTimeoutException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            return true; // reset
        }
    }

    private String readLine() throws IOException
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0)
        {
            if (b == '\n')
            {
                final byte[] bytes = line.toByteArray();
                final int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ?
                    bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
