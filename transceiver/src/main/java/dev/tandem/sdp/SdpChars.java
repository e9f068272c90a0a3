package dev.tandem.sdp;

/**
 * Character classes of the SDP grammar, checked without regular expressions or exceptions.
 */
final class SdpChars
{
    private SdpChars()
    {
    }

    /**
     * @param c a character.
     * @return true for token-char (RFC 8866 9): %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E.
     */
    static boolean isTokenChar(final char c)
    {
        return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2A || c == 0x2B || c == 0x2D || c == 0x2E ||
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x5E && c <= 0x7E);
    }

    /**
     * @param text some text.
     * @return true when it is a non-empty token.
     */
    static boolean isToken(final String text)
    {
        if (text == null || text.isEmpty())
        {
            return false;
        }
        for (int i = 0; i < text.length(); i++)
        {
            if (!isTokenChar(text.charAt(i)))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param text      some text.
     * @param minLength shortest accepted.
     * @param maxLength longest accepted.
     * @return true when it is 4-256 (or the given bounds) ice-chars: ALPHA / DIGIT / "+" / "/" (RFC 8839 5.4).
     */
    static boolean isIceChars(final String text, final int minLength, final int maxLength)
    {
        if (text == null || text.length() < minLength || text.length() > maxLength)
        {
            return false;
        }
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            final boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '+' || c == '/';
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Parse an unsigned decimal without exceptions.
     *
     * @param text digits.
     * @param max  the largest accepted value.
     * @return the value, or -1 when the text is empty, not all digits, or above max.
     */
    static long parseUnsigned(final String text, final long max)
    {
        if (text == null || text.isEmpty() || text.length() > 19)
        {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value > max)
            {
                return -1;
            }
        }
        return value;
    }
}
