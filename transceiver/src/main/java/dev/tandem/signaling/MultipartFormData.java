package dev.tandem.signaling;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A bounded {@code multipart/form-data} reader (RFC 7578, framing from RFC 2046 5.1.1) for the OpenAI Realtime
 * shape: an {@code sdp} part with the offer and an optional {@code session} part with JSON.
 * <pre>
 * [preamble CRLF]
 * --boundary CRLF
 * Content-Disposition: form-data; name="sdp" CRLF
 * [Content-Type: application/sdp CRLF]
 * CRLF
 * v=0 ... (part body)
 * CRLF --boundary CRLF
 * Content-Disposition: form-data; name="session" CRLF
 * CRLF
 * {"type":"realtime", ...}
 * CRLF --boundary-- [epilogue]
 * </pre>
 * Parts are located in the body, not copied. Anything that does not frame is reported as 400 {@code bad_multipart}.
 */
final class MultipartFormData
{
    /** Most parts accepted in one body. */
    static final int MAX_PARTS = 16;
    /** RFC 2046 5.1.1: a boundary is 1-70 characters. */
    static final int MAX_BOUNDARY_LENGTH = 70;

    private static final byte[] CRLF = { '\r', '\n' };
    private static final byte[] CRLF_CRLF = { '\r', '\n', '\r', '\n' };

    /**
     * One part: its form field name, its Content-Type (or null), and where its body lies in the request body.
     */
    static final class Part
    {
        final String name;
        final String contentType;
        final int offset;
        final int length;

        Part(final String name, final String contentType, final int offset, final int length)
        {
            this.name = name;
            this.contentType = contentType;
            this.offset = offset;
            this.length = length;
        }
    }

    private MultipartFormData()
    {
    }

    /**
     * @param body    the request body.
     * @param length  bytes of it that are filled.
     * @param boundary the boundary parameter of the Content-Type.
     * @return the parts, in order (nameless parts are skipped).
     * @throws HttpProblem 400 bad_multipart when the body does not frame.
     */
    static List<Part> parse(final byte[] body, final int length, final String boundary) throws HttpProblem
    {
        final byte[] dashBoundary = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        final byte[] delimiter = concat(CRLF, dashBoundary);
        int position;
        if (startsWith(body, length, 0, dashBoundary))
        {
            position = 0;
        }
        else
        {
            // RFC 2046 5.1.1: a preamble may come first; the first delimiter then follows a CRLF.
            final int found = indexOf(body, length, delimiter, 0);
            if (found < 0)
            {
                throw bad("the body does not contain the boundary '" + boundary + "'");
            }
            position = found + CRLF.length;
        }

        final List<Part> parts = new ArrayList<>();
        while (true)
        {
            position += dashBoundary.length;
            if (startsWith(body, length, position, new byte[]{ '-', '-' }))
            {
                return parts; // close-delimiter; the epilogue is ignored
            }
            while (position < length && (body[position] == ' ' || body[position] == '\t'))
            {
                position++; // transport padding
            }
            if (!startsWith(body, length, position, CRLF))
            {
                throw bad("a boundary line must end with CRLF");
            }
            position += CRLF.length;

            final int headersEnd;
            final int contentStart;
            if (startsWith(body, length, position, CRLF))
            {
                headersEnd = position;
                contentStart = position + CRLF.length;
            }
            else
            {
                headersEnd = indexOf(body, length, CRLF_CRLF, position);
                if (headersEnd < 0)
                {
                    throw bad("the headers of part " + (parts.size() + 1) + " do not end with an empty line");
                }
                contentStart = headersEnd + CRLF_CRLF.length;
            }
            final int contentEnd = indexOf(body, length, delimiter, contentStart);
            if (contentEnd < 0)
            {
                throw bad("part " + (parts.size() + 1) + " is not closed by the boundary");
            }

            String name = null;
            String contentType = null;
            final String headers = new String(body, position, headersEnd - position, StandardCharsets.UTF_8);
            for (final String header : headers.split("\r\n"))
            {
                final int colon = header.indexOf(':');
                if (colon <= 0)
                {
                    if (!header.isEmpty())
                    {
                        throw bad("bad part header '" + header + "'");
                    }
                    continue;
                }
                final String headerName = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                final String value = header.substring(colon + 1).trim();
                if ("content-disposition".equals(headerName))
                {
                    // RFC 7578 4.2: Content-Disposition: form-data; name="field"
                    if (!"form-data".equalsIgnoreCase(mediaType(value)))
                    {
                        throw bad("a part's Content-Disposition must be form-data");
                    }
                    name = parameter(value, "name");
                }
                else if ("content-type".equals(headerName))
                {
                    contentType = value;
                }
            }
            if (name != null)
            {
                parts.add(new Part(name, contentType, contentStart, contentEnd - contentStart));
                if (parts.size() > MAX_PARTS)
                {
                    throw bad("more than " + MAX_PARTS + " parts");
                }
            }
            position = contentEnd + CRLF.length;
        }
    }

    /**
     * @param parts parts of a body.
     * @param name  a field name.
     * @return the first part with that name, or null.
     */
    static Part find(final List<Part> parts, final String name)
    {
        for (final Part part : parts)
        {
            if (name.equals(part.name))
            {
                return part;
            }
        }
        return null;
    }

    /**
     * @param headerValue e.g. {@code multipart/form-data; boundary=abc}.
     * @return the media type in lower case without parameters, e.g. {@code multipart/form-data}, or empty.
     */
    static String mediaType(final String headerValue)
    {
        if (headerValue == null)
        {
            return "";
        }
        final int semicolon = headerValue.indexOf(';');
        return (semicolon < 0 ? headerValue : headerValue.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Read one parameter of a header value (RFC 9110 5.6.6): {@code ; name=token} or {@code ; name="quoted \" string"}.
     *
     * @param headerValue the whole header value.
     * @param name        the parameter name, matched without regard to case.
     * @return the value, or null when absent or badly quoted.
     */
    static String parameter(final String headerValue, final String name)
    {
        int i = headerValue.indexOf(';');
        while (i >= 0 && i < headerValue.length())
        {
            i++; // past ';'
            while (i < headerValue.length() && (headerValue.charAt(i) == ' ' || headerValue.charAt(i) == '\t'))
            {
                i++;
            }
            final int equals = headerValue.indexOf('=', i);
            if (equals < 0)
            {
                return null;
            }
            final String key = headerValue.substring(i, equals).trim();
            i = equals + 1;
            final StringBuilder value = new StringBuilder();
            if (i < headerValue.length() && headerValue.charAt(i) == '"')
            {
                i++;
                boolean closed = false;
                while (i < headerValue.length())
                {
                    final char c = headerValue.charAt(i++);
                    if (c == '\\' && i < headerValue.length())
                    {
                        value.append(headerValue.charAt(i++));
                    }
                    else if (c == '"')
                    {
                        closed = true;
                        break;
                    }
                    else
                    {
                        value.append(c);
                    }
                }
                if (!closed)
                {
                    return null;
                }
                i = headerValue.indexOf(';', i);
            }
            else
            {
                final int end = headerValue.indexOf(';', i);
                value.append(headerValue, i, end < 0 ? headerValue.length() : end);
                i = end;
            }
            if (key.equalsIgnoreCase(name))
            {
                return value.toString().trim();
            }
        }
        return null;
    }

    /**
     * @param boundary a boundary parameter.
     * @return true when it is 1-70 characters and none is a control character or a CR/LF (RFC 2046 5.1.1 bchars,
     * read a little leniently: what matters is that it cannot break the framing).
     */
    static boolean isValidBoundary(final String boundary)
    {
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < boundary.length(); i++)
        {
            final char c = boundary.charAt(i);
            if (c < 0x20 || c >= 0x7F)
            {
                return false;
            }
        }
        return true;
    }

    private static HttpProblem bad(final String message)
    {
        return HttpProblem.of(400, "bad_multipart", "multipart/form-data: " + message);
    }

    private static boolean startsWith(final byte[] body, final int length, final int at, final byte[] prefix)
    {
        if (at < 0 || at > length - prefix.length)
        {
            return false;
        }
        for (int i = 0; i < prefix.length; i++)
        {
            if (body[at + i] != prefix[i])
            {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(final byte[] body, final int length, final byte[] pattern, final int from)
    {
        for (int i = Math.max(0, from); i <= length - pattern.length; i++)
        {
            if (startsWith(body, length, i, pattern))
            {
                return i;
            }
        }
        return -1;
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
