package dev.tandem.stun;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * STUN messages to test against: the RFC 5769 test vectors (which carry MESSAGE-INTEGRITY and FINGERPRINT) and
 * connectivity checks captured from a real browser.
 */
final class StunFixtures
{
    /** RFC 5769 2.1-2.3: the short-term password of every sample. */
    static final byte[] RFC5769_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.US_ASCII);
    /** RFC 5769 2.1: the request's USERNAME. */
    static final String RFC5769_USERNAME = "evtj:h6vY";
    /** RFC 5769 2.2, 2.3: the mapped port. */
    static final int RFC5769_PORT = 32853;

    /**
     * RFC 5769 2.1: Binding request with SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME (padded with spaces),
     * MESSAGE-INTEGRITY and FINGERPRINT.
     */
    static final String RFC5769_REQUEST_HEX =
        "000100582112a442b7e7a701bc34d686fa87dfae" +
        "802200105354554e20746573742063" + "6c69656e74" +  // SOFTWARE "STUN test client"
        "002400046e0001ff" +                               // PRIORITY
        "80290008932ff9b151263b36" +                       // ICE-CONTROLLED
        "000600096576746a3a68367659202020" +               // USERNAME "evtj:h6vY" + 3 padding spaces
        "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2" + // MESSAGE-INTEGRITY
        "80280004e57a3bcf";                                // FINGERPRINT

    /** RFC 5769 2.2: Binding success response with XOR-MAPPED-ADDRESS 192.0.2.1:32853. */
    static final String RFC5769_IPV4_RESPONSE_HEX =
        "0101003c2112a442b7e7a701bc34d686fa87dfae" +
        "8022000b7465737420766563746f7220" +               // SOFTWARE "test vector" + 1 padding space
        "002000080001a147e112a643" +                       // XOR-MAPPED-ADDRESS
        "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7" +
        "80280004c07d4c96";

    /** RFC 5769 2.3: Binding success response with XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]. */
    static final String RFC5769_IPV6_RESPONSE_HEX =
        "010100482112a442b7e7a701bc34d686fa87dfae" +
        "8022000b7465737420766563746f7220" +
        "002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9" +
        "00080014a382954e4be67bf11784c97c8292c275bfe3ed41" +
        "80280004c8fb0b4c";

    /**
     * The ICE password of the answer the Chromium checks below were sent to (their MESSAGE-INTEGRITY key). The
     * answer's ufrag was the route token {@link #CHROMIUM_SERVER_UFRAG}, minted with the test key {@code 1:}
     * bytes {@code 31 * 1 + 7 * i + 1} (see RouteTokenTest) for cluster 7, transceiver 42, shard 3, nonce
     * 0x0123456789ABCDEF.
     */
    static final byte[] CHROMIUM_PASSWORD = "tandemFixturePassword0123".getBytes(StandardCharsets.US_ASCII);
    /** The server ufrag (a route token) in the Chromium checks. */
    static final String CHROMIUM_SERVER_UFRAG = "AQEABwAqAAMBI0VniavN7xVyZBpDLZpzoDTVjZwl";
    /** The client ufrag Chromium chose. */
    static final String CHROMIUM_CLIENT_UFRAG = "SwQV";

    /**
     * Headless Chromium 156 (Debian 12), first check to an ICE-lite answer with a host candidate at 127.0.0.1 (captured
     * from a UDP socket): USERNAME, GOOG-NETWORK-INFO (0xC057), ICE-CONTROLLING, PRIORITY, MESSAGE-INTEGRITY,
     * FINGERPRINT; no USE-CANDIDATE yet.
     */
    static final String CHROMIUM_CHECK_HEX =
        "000100702112a442475056484f70434f514b4436" +
        "0006002d415145414277417141414d424930566e6961764e377856795a4270444c5a707a6f4454566a5a776c3a53775156000000" +
        "c057000400010000" +
        "802a0008e7c94b5a638fa521" +
        "002400046e7e1eff" +
        "000800141c9c0aa13529edfd42dd7076510ff91781bc54d5" +
        "802800042facb812";

    /** The same session's check after a success response: now with USE-CANDIDATE (regular nomination). */
    static final String CHROMIUM_NOMINATION_HEX =
        "000100742112a442454253333958746c595a4751" +
        "0006002d415145414277417141414d424930566e6961764e377856795a4270444c5a707a6f4454566a5a776c3a53775156000000" +
        "c057000400010000" +
        "802a0008e7c94b5a638fa521" +
        "00250000" +
        "002400046e7e1eff" +
        "00080014842b1d662e48e8c6b719c34f16ccc5c5a88dee73" +
        "802800044366ef35";

    /** The first 32 bytes of that session's DTLS ClientHello (first of two fragments, 1200 bytes in all). */
    static final String CHROMIUM_CLIENT_HELLO_PREFIX_HEX =
        "16feff000000000000000004a3010005850000000000000497fefd0fe918416d";

    private StunFixtures()
    {
    }

    static byte[] hex(final String text)
    {
        return HexFormat.of().parseHex(text);
    }

    static byte[] request()
    {
        return hex(RFC5769_REQUEST_HEX);
    }

    static byte[] ipv4Response()
    {
        return hex(RFC5769_IPV4_RESPONSE_HEX);
    }

    static byte[] ipv6Response()
    {
        return hex(RFC5769_IPV6_RESPONSE_HEX);
    }
}
