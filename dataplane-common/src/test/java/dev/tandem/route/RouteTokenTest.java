package dev.tandem.route;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteTokenTest
{
    static final String KEY_1 = "1:" + Base64.getEncoder().encodeToString(bytes(32, 1));
    static final String KEY_2 = "2:" + Base64.getEncoder().encodeToString(bytes(32, 2));
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private final RouteKeyRing ring1 = RouteKeyRing.parse(KEY_1, 1);
    private final RouteTokenMinter minter = new RouteTokenMinter(ring1);
    private final RouteTokenVerifier verifier = new RouteTokenVerifier(ring1);

    @Test
    void verifiesWhatItMints()
    {
        final String token = minter.mint(7, 42, 3, 0x0123_4567_89AB_CDEFL);
        assertEquals(RouteToken.ENCODED_LENGTH, token.length());
        final long route = verify(verifier, token);
        assertTrue(route > 0, RouteStatus.reason(route));
        assertEquals(7, RouteToken.clusterId(route));
        assertEquals(42, RouteToken.transceiverId(route));
        assertEquals(3, RouteToken.shardId(route));
        assertEquals(1, RouteToken.keyId(route));
        assertEquals(0x0123_4567_89AB_CDEFL, verifier.lastNonce());
        assertEquals("cluster=7 transceiver=42 shard=3 key=1", RouteToken.toString(route));
    }

    @Test
    void mintsTheKnownAnswer()
    {
        // Computed independently (Python hmac/hashlib/base64) from the layout in RouteToken's javadoc.
        assertEquals("AQEABwAqAAMBI0VniavN7xVyZBpDLZpzoDTVjZwl", minter.mint(7, 42, 3, 0x0123_4567_89AB_CDEFL));
    }

    @Test
    void carriesTheExtremesOfEveryField()
    {
        final int[][] ids = { { 0, 0, 0 }, { 65535, 65535, 65535 }, { 1, 65535, 0 }, { 65535, 0, 1 } };
        final long[] nonces = { 0, -1, Long.MIN_VALUE, Long.MAX_VALUE };
        for (final int[] id : ids)
        {
            for (final long nonce : nonces)
            {
                final long route = verify(verifier, minter.mint(id[0], id[1], id[2], nonce));
                assertTrue(route > 0);
                assertEquals(id[0], RouteToken.clusterId(route));
                assertEquals(id[1], RouteToken.transceiverId(route));
                assertEquals(id[2], RouteToken.shardId(route));
                assertEquals(nonce, verifier.lastNonce());
            }
        }
    }

    @Test
    void usesOnlyIceUfragCharacters()
    {
        final SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 1000; i++)
        {
            final String token = minter.mint(random.nextInt(65536), random.nextInt(65536), random.nextInt(65536),
                random.nextLong());
            assertEquals(40, token.length());
            for (int c = 0; c < token.length(); c++)
            {
                assertTrue(ALPHABET.indexOf(token.charAt(c)) >= 0, token); // RFC 8839 5.4 ice-char
            }
        }
    }

    @Test
    void matchesTheDocumentedLayoutAndJcaHmacSha256() throws Exception
    {
        final String token = minter.mint(0x0102, 0x0304, 0x0506, 0x1112_1314_1516_1718L);
        final byte[] decoded = Base64.getDecoder().decode(token);
        assertEquals(RouteToken.DECODED_LENGTH, decoded.length);
        assertArrayEquals(HexFormat.of().parseHex("01010102030405061112131415161718"), Arrays.copyOf(decoded, 16));

        final Mac jca = Mac.getInstance("HmacSHA256");
        jca.init(new SecretKeySpec(bytes(32, 1), "HmacSHA256"));
        final byte[] expectedMac = Arrays.copyOf(jca.doFinal(Arrays.copyOf(decoded, 16)), RouteToken.MAC_LENGTH);
        assertArrayEquals(expectedMac, Arrays.copyOfRange(decoded, 16, 30));
    }

    @Test
    void mintsTheSameTokenIntoABuffer()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        assertEquals(RouteToken.ENCODED_LENGTH, minter.mint(9, 8, 7, 6L, buffer, 5));
        assertEquals(minter.mint(9, 8, 7, 6L), buffer.getStringWithoutLengthAscii(5, RouteToken.ENCODED_LENGTH));
    }

    @Test
    void rejectsATokenAlteredInAnyOneCharacterPosition()
    {
        final String token = minter.mint(7, 42, 3, 99L);
        int checked = 0;
        for (int position = 0; position < token.length(); position++)
        {
            for (int a = 0; a < ALPHABET.length(); a++)
            {
                final char replacement = ALPHABET.charAt(a);
                if (replacement == token.charAt(position))
                {
                    continue;
                }
                final String altered = token.substring(0, position) + replacement + token.substring(position + 1);
                final long status = verify(verifier, altered);
                assertTrue(status < 0, "position " + position + " -> " + replacement);
                if (position >= 3)
                {
                    // Characters 3..39 carry bits of cluster id onwards: only the MAC can catch them.
                    assertEquals(RouteStatus.BAD_MAC, status, "position " + position + " -> " + replacement);
                }
                checked++;
            }
        }
        assertEquals(40 * 63, checked);
    }

    @Test
    void rejectsCharactersOutsideTheAlphabetBeforeAnyCrypto()
    {
        final String token = minter.mint(7, 42, 3, 99L);
        final byte[] outside = { '-', '_', '=', ':', ' ', '.', 0, 0x7F, (byte)0x80, (byte)0xC3, (byte)0xFF };
        for (int position = 0; position < token.length(); position++)
        {
            for (final byte b : outside)
            {
                final byte[] bytes = token.getBytes(StandardCharsets.US_ASCII);
                bytes[position] = b;
                assertEquals(RouteStatus.BAD_CHARACTER, verifier.verify(new UnsafeBuffer(bytes), 0, bytes.length),
                    "position " + position + " byte " + b);
            }
        }
    }

    @Test
    void rejectsEveryWrongLength()
    {
        final String token = minter.mint(7, 42, 3, 99L);
        final String longer = token + token;
        final UnsafeBuffer buffer = new UnsafeBuffer(longer.getBytes(StandardCharsets.US_ASCII));
        for (int length = 0; length <= longer.length(); length++)
        {
            final long status = verifier.verify(buffer, 0, length);
            if (length == RouteToken.ENCODED_LENGTH)
            {
                assertTrue(status > 0);
            }
            else
            {
                assertEquals(RouteStatus.BAD_LENGTH, status, "length " + length);
            }
        }
    }

    @Test
    void rejectsARangeOutsideTheBuffer()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(minter.mint(1, 2, 3, 4L).getBytes(StandardCharsets.US_ASCII));
        assertEquals(RouteStatus.OUT_OF_BOUNDS, verifier.verify(buffer, 1, 40));
        assertEquals(RouteStatus.OUT_OF_BOUNDS, verifier.verify(buffer, -1, 40));
        assertEquals(RouteStatus.OUT_OF_BOUNDS, verifier.verify(buffer, 0, -1));
        assertEquals(RouteStatus.OUT_OF_BOUNDS, verifier.verify(buffer, Integer.MAX_VALUE, 40));
        assertEquals(RouteStatus.OUT_OF_BOUNDS, verifier.verifyUsername(buffer, 30, 20));
    }

    @Test
    void rejectsAnUnknownVersion()
    {
        final long status = verify(verifier, reencode(minter.mint(1, 2, 3, 4L), 0, (byte)2));
        assertEquals(RouteStatus.UNKNOWN_VERSION, status);
    }

    @Test
    void rejectsAnUnknownKeyId()
    {
        assertEquals(RouteStatus.UNKNOWN_KEY, verify(verifier, reencode(minter.mint(1, 2, 3, 4L), 1, (byte)9)));
        assertEquals(RouteStatus.UNKNOWN_KEY, verify(verifier, reencode(minter.mint(1, 2, 3, 4L), 1, (byte)0)));
        final RouteTokenMinter other = new RouteTokenMinter(RouteKeyRing.parse(KEY_2, 2));
        assertEquals(RouteStatus.UNKNOWN_KEY, verify(verifier, other.mint(1, 2, 3, 4L)));
    }

    @Test
    void rejectsATokenSignedWithAnotherSecretUnderTheSameKeyId()
    {
        final RouteKeyRing impostor = RouteKeyRing.parse(
            "1:" + Base64.getEncoder().encodeToString(bytes(32, 99)), 1);
        assertEquals(RouteStatus.BAD_MAC, verify(verifier, new RouteTokenMinter(impostor).mint(1, 2, 3, 4L)));
    }

    @Test
    void keepsVerifyingOldTokensAcrossKeyRotation()
    {
        final String oldToken = minter.mint(5, 6, 7, 8L);

        final RouteKeyRing rotated = RouteKeyRing.parse(KEY_1 + "," + KEY_2, 2);
        final RouteTokenVerifier rotatedVerifier = new RouteTokenVerifier(rotated);
        final long oldRoute = verify(rotatedVerifier, oldToken);
        assertTrue(oldRoute > 0, RouteStatus.reason(oldRoute));
        assertEquals(1, RouteToken.keyId(oldRoute));
        assertEquals(8L, rotatedVerifier.lastNonce());

        final String newToken = new RouteTokenMinter(rotated).mint(5, 6, 7, 9L);
        final long newRoute = verify(rotatedVerifier, newToken);
        assertEquals(2, RouteToken.keyId(newRoute));
        assertEquals(RouteStatus.UNKNOWN_KEY, verify(verifier, newToken)); // a relay that has not rotated yet

        final RouteTokenVerifier retired = new RouteTokenVerifier(RouteKeyRing.parse(KEY_2, 2));
        assertEquals(RouteStatus.UNKNOWN_KEY, verify(retired, oldToken));
        assertTrue(verify(retired, newToken) > 0);
    }

    @Test
    void neverVerifiesRandomTokens()
    {
        final SplittableRandom random = new SplittableRandom(11);
        final char[] chars = new char[RouteToken.ENCODED_LENGTH];
        for (int i = 0; i < 20_000; i++)
        {
            for (int c = 0; c < chars.length; c++)
            {
                chars[c] = ALPHABET.charAt(random.nextInt(64));
            }
            if (i % 2 == 0)
            {
                chars[0] = 'A'; // version 1, key id 1: reach the MAC
                chars[1] = 'Q';
                chars[2] = 'E';
            }
            final long status = verify(verifier, new String(chars));
            assertTrue(status < 0);
            if (i % 2 == 0)
            {
                assertEquals(RouteStatus.BAD_MAC, status);
            }
        }
    }

    @Test
    void nonceSurvivesARejectedToken()
    {
        verify(verifier, minter.mint(1, 1, 1, 77L));
        assertTrue(verify(verifier, "A".repeat(40)) < 0);
        assertEquals(77L, verifier.lastNonce());
    }

    @Test
    void verifiesTheServerPartOfAStunUsername()
    {
        final String token = minter.mint(3, 4, 5, 6L);
        assertEquals(RouteToken.route(1, 3, 4, 5), verifyUsername(token + ":abcd"));
        assertEquals(6L, verifier.lastNonce());
        assertEquals(RouteToken.route(1, 3, 4, 5), verifyUsername(token + ":" + "x".repeat(256)));
        assertEquals(RouteToken.route(1, 3, 4, 5), verifyUsername(token + ":"));
        assertEquals(RouteStatus.MALFORMED, verifyUsername(token));
        assertEquals(RouteStatus.MALFORMED, verifyUsername(""));
        assertEquals(RouteStatus.MALFORMED, verifyUsername(token + "x:abcd"));
        assertEquals(RouteStatus.BAD_LENGTH, verifyUsername("abcd:" + token));
        assertEquals(RouteStatus.BAD_LENGTH, verifyUsername(":" + token));
        final char last = token.charAt(39) == 'A' ? 'B' : 'A';
        assertEquals(RouteStatus.BAD_MAC, verifyUsername(token.substring(0, 39) + last + ":abcd"));
    }

    @Test
    void refusesToMintIdsOutOfRange()
    {
        assertThrows(IllegalArgumentException.class, () -> minter.mint(65536, 0, 0, 0L));
        assertThrows(IllegalArgumentException.class, () -> minter.mint(0, -1, 0, 0L));
        assertThrows(IllegalArgumentException.class, () -> minter.mint(0, 0, 70000, 0L));
    }

    @Test
    void packsRoutesAboveZero()
    {
        final long route = RouteToken.route(255, 65535, 65535, 65535);
        assertTrue(route > 0);
        assertEquals(255, RouteToken.keyId(route));
        assertTrue(RouteToken.route(1, 0, 0, 0) > 0);
    }

    @Test
    void namesEveryStatus()
    {
        for (long status = RouteStatus.OUT_OF_BOUNDS; status < 0; status++)
        {
            assertNotEquals("unknown", RouteStatus.reason(status), "status " + status);
        }
        assertEquals("ok", RouteStatus.reason(5));
        assertEquals("unknown", RouteStatus.reason(-100));
        assertEquals("unknown", RouteStatus.reason(Long.MIN_VALUE));
    }

    @Test
    void readsTokensFromDirectMemory()
    {
        final String token = minter.mint(3, 4, 5, 6L);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(128));
        direct.putStringWithoutLengthAscii(77, token + ":abcd");
        assertEquals(RouteToken.route(1, 3, 4, 5), verifier.verifyUsername(direct, 77, 45));
        assertEquals(RouteToken.route(1, 3, 4, 5), verifier.verify(direct, 77, 40));
    }

    private long verifyUsername(final String username)
    {
        final byte[] bytes = username.getBytes(StandardCharsets.US_ASCII);
        return verifier.verifyUsername(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    static long verify(final RouteTokenVerifier verifier, final String token)
    {
        final byte[] bytes = token.getBytes(StandardCharsets.US_ASCII);
        return verifier.verify(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /** The token with one decoded byte replaced and the MAC left as it was. */
    private static String reencode(final String token, final int index, final byte value)
    {
        final byte[] decoded = Base64.getDecoder().decode(token);
        decoded[index] = value;
        return Base64.getEncoder().withoutPadding().encodeToString(decoded);
    }

    static byte[] bytes(final int length, final int seed)
    {
        final byte[] out = new byte[length];
        for (int i = 0; i < length; i++)
        {
            out[i] = (byte)(seed * 31 + i * 7 + 1);
        }
        return out;
    }
}
