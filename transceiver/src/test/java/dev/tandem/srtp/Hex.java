package dev.tandem.srtp;

import java.util.HexFormat;

final class Hex
{
    private Hex()
    {
    }

    static byte[] bytes(final String hex)
    {
        return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
    }

    static String string(final byte[] bytes, final int offset, final int length)
    {
        return HexFormat.of().formatHex(bytes, offset, offset + length);
    }

    static String string(final byte[] bytes)
    {
        return HexFormat.of().formatHex(bytes);
    }
}
