package dev.tandem.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Reads the offers under {@code src/test/resources/sdp/} and builds answers with fixed, recognisable values.
 */
public final class SdpFixtures
{
    /** A route-token-like ufrag. */
    public static final String UFRAG = "AAEBAgMEBQYHCAkK";
    /** A 22-character password. */
    public static final String PWD = "0123456789abcdefghijkl";
    /** Our SSRC, 0x12345678. */
    public static final long SSRC = 0x1234_5678L;
    /** Our CNAME. */
    public static final String CNAME = "tandemcname";

    private SdpFixtures()
    {
    }

    /**
     * @param name file name under sdp/.
     * @return its bytes.
     */
    public static byte[] bytes(final String name)
    {
        try (InputStream in = SdpFixtures.class.getResourceAsStream("/sdp/" + name))
        {
            if (in == null)
            {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @param name file name under sdp/.
     * @return its text.
     */
    public static String text(final String name)
    {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /**
     * @return the digest 00 01 02 ... 1F.
     */
    public static byte[] fingerprintDigest()
    {
        final byte[] digest = new byte[32];
        for (int i = 0; i < digest.length; i++)
        {
            digest[i] = (byte)i;
        }
        return digest;
    }

    /**
     * @return a builder with the fixed values and two relay addresses, 203.0.113.7:3478 and [2001:db8::7]:3478.
     */
    public static SdpAnswer.Builder answerBuilder()
    {
        return new SdpAnswer.Builder()
            .iceUfrag(UFRAG)
            .icePwd(PWD)
            .fingerprintSha256(fingerprintDigest())
            .candidate(new InetSocketAddress("203.0.113.7", 3478))
            .candidate(new InetSocketAddress("2001:db8::7", 3478))
            .ssrc(SSRC)
            .cname(CNAME)
            .sessionId(42);
    }
}
