package dev.tandem.signaling;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer (RFC 8259): the server's error bodies, and tooling that reads JSON (JMH results,
 * the DevTools protocol in tests). Objects are {@code Map<String, Object>}, arrays {@code List<Object>}, numbers
 * {@code Double}, plus String, Boolean and null. Not for a hot path.
 */
public final class Json
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** Deepest nesting of objects and arrays read, so hostile input cannot exhaust the stack. */
    public static final int MAX_DEPTH = 64;

    private final String text;
    private int position;
    private int depth;

    private Json(final String text)
    {
        this.text = text;
    }

    /**
     * @param text JSON text.
     * @return the value: {@code Map<String, Object>} for an object, {@code List<Object>} for an array,
     *         {@code Double} for a number, String, Boolean or null.
     * @throws IllegalArgumentException on malformed text, with the position.
     */
    public static Object parse(final String text)
    {
        final Json json = new Json(text);
        final Object value = json.value();
        json.skipWhitespace();
        if (json.position != text.length())
        {
            throw json.error("trailing characters");
        }
        return value;
    }

    /**
     * @param value a map with string keys, list, string, number, boolean or null.
     * @return its JSON text.
     */
    public static String write(final Object value)
    {
        final StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /**
     * @param root a parsed value.
     * @param path dot-separated keys, e.g. {@code result.result.value}.
     * @return the value at the path, or null when a key is missing.
     */
    @SuppressWarnings("unchecked")
    public static Object at(final Object root, final String path)
    {
        Object current = root;
        for (final String key : path.split("\\."))
        {
            if (!(current instanceof Map))
            {
                return null;
            }
            current = ((Map<String, Object>)current).get(key);
        }
        return current;
    }


    /**
     * @param status  HTTP status.
     * @param reason  snake_case reason.
     * @param message for a person.
     * @return {@code {"error":{"status":400,"reason":"no_audio","message":"..."}}}
     */
    static String error(final int status, final String reason, final String message)
    {
        final StringBuilder out = new StringBuilder(64 + message.length());
        out.append("{\"error\":{\"status\":").append(status).append(",\"reason\":");
        string(out, reason);
        out.append(",\"message\":");
        string(out, message);
        return out.append("}}").toString();
    }

    static void string(final StringBuilder out, final String value)
    {
        out.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029)
                    {
                        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                            .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    }
                    else
                    {
                        out.append(c);
                    }
                    break;
            }
        }
        out.append('"');
    }

    @SuppressWarnings("unchecked")
    private static void write(final Object value, final StringBuilder out)
    {
        if (value == null)
        {
            out.append("null");
        }
        else if (value instanceof String)
        {
            string(out, (String)value);
        }
        else if (value instanceof Number || value instanceof Boolean)
        {
            out.append(value);
        }
        else if (value instanceof Map)
        {
            out.append('{');
            boolean first = true;
            for (final Map.Entry<String, Object> entry : ((Map<String, Object>)value).entrySet())
            {
                if (!first)
                {
                    out.append(',');
                }
                first = false;
                string(out, entry.getKey());
                out.append(':');
                write(entry.getValue(), out);
            }
            out.append('}');
        }
        else if (value instanceof List)
        {
            out.append('[');
            boolean first = true;
            for (final Object element : (List<Object>)value)
            {
                if (!first)
                {
                    out.append(',');
                }
                first = false;
                write(element, out);
            }
            out.append(']');
        }
        else
        {
            throw new IllegalArgumentException("cannot write " + value.getClass());
        }
    }

    private Object value()
    {
        skipWhitespace();
        if (position >= text.length())
        {
            throw error("unexpected end");
        }
        final char c = text.charAt(position);
        switch (c)
        {
            case '{':
            case '[':
                if (++depth > MAX_DEPTH)
                {
                    throw error("nested deeper than " + MAX_DEPTH);
                }
                final Object nested = c == '{' ? object() : array();
                depth--;
                return nested;
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return number();
        }
    }

    private Map<String, Object> object()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        position++;
        skipWhitespace();
        if (peek() == '}')
        {
            position++;
            return map;
        }
        while (true)
        {
            skipWhitespace();
            final String key = string();
            skipWhitespace();
            expect(':');
            map.put(key, value());
            skipWhitespace();
            if (peek() == ',')
            {
                position++;
                continue;
            }
            expect('}');
            return map;
        }
    }

    private List<Object> array()
    {
        final List<Object> list = new ArrayList<>();
        position++;
        skipWhitespace();
        if (peek() == ']')
        {
            position++;
            return list;
        }
        while (true)
        {
            list.add(value());
            skipWhitespace();
            if (peek() == ',')
            {
                position++;
                continue;
            }
            expect(']');
            return list;
        }
    }

    private String string()
    {
        expect('"');
        final StringBuilder out = new StringBuilder();
        while (position < text.length())
        {
            final char c = text.charAt(position++);
            if (c == '"')
            {
                return out.toString();
            }
            if (c == '\\')
            {
                if (position >= text.length())
                {
                    break;
                }
                final char e = text.charAt(position++);
                switch (e)
                {
                    case 'n':
                        out.append('\n');
                        break;
                    case 't':
                        out.append('\t');
                        break;
                    case 'r':
                        out.append('\r');
                        break;
                    case 'b':
                        out.append('\b');
                        break;
                    case 'f':
                        out.append('\f');
                        break;
                    case 'u':
                        out.append(hexChar());
                        break;
                    default:
                        out.append(e);
                }
            }
            else
            {
                out.append(c);
            }
        }
        throw error("unterminated string");
    }

    private char hexChar()
    {
        if (position + 4 > text.length())
        {
            throw error("short \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++)
        {
            final int digit = Character.digit(text.charAt(position++), 16);
            if (digit < 0)
            {
                throw error("bad \\u escape");
            }
            value = (value << 4) | digit;
        }
        return (char)value;
    }

    private Object number()
    {
        final int start = position;
        while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0)
        {
            position++;
        }
        if (start == position)
        {
            throw error("unexpected character");
        }
        try
        {
            return Double.parseDouble(text.substring(start, position));
        }
        catch (final NumberFormatException ex)
        {
            throw error("bad number");
        }
    }

    private Object literal(final String word, final Object value)
    {
        if (!text.startsWith(word, position))
        {
            throw error("expected " + word);
        }
        position += word.length();
        return value;
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw error("expected '" + c + "'");
        }
        position++;
    }

    private char peek()
    {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private void skipWhitespace()
    {
        while (position < text.length() && Character.isWhitespace(text.charAt(position)))
        {
            position++;
        }
    }

    private IllegalArgumentException error(final String what)
    {
        return new IllegalArgumentException(what + " at " + position + " in JSON");
    }
}
