package dev.tandem.signaling;

/**
 * The little JSON the server writes: error bodies. RFC 8259 7 string escaping.
 */
final class Json
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json()
    {
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
}
