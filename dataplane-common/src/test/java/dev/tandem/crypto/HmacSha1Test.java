package dev.tandem.crypto;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HmacSha1Test
{
    @Test
    void usesJdkInternalsUnderTheProjectJvmOptions()
    {
        // config/jvm.options opens sun.security.provider: the fast path must be the one that runs.
        assertTrue(HmacSha1.jdkInternalsAvailable(), HmacSha1.implementation());
        assertTrue(new HmacSha1().usesJdkInternals());
        assertFalse(new HmacSha1(false).usesJdkInternals());
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void matchesRfc2202TestCase2(final boolean jdkInternals)
    {
        final byte[] key = "Jefe".getBytes(StandardCharsets.US_ASCII);
        final byte[] data = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
        final HmacSha1 mac = new HmacSha1(jdkInternals).init(key, 0, key.length);
        mac.update(data, 0, data.length);
        final byte[] out = new byte[20];
        mac.doFinal(out, 0);
        assertEquals("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", HexFormat.of().formatHex(out));
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void matchesJcaForLongKeysAndEveryBufferKind(final boolean jdkInternals) throws Exception
    {
        final byte[] key = new byte[100];
        final byte[] data = new byte[300];
        for (int i = 0; i < key.length; i++)
        {
            key[i] = (byte)(i * 7);
        }
        for (int i = 0; i < data.length; i++)
        {
            data[i] = (byte)(i * 13 + 1);
        }
        final Mac jca = Mac.getInstance("HmacSHA1");
        jca.init(new SecretKeySpec(key, "HmacSHA1"));
        jca.update(data, 10, 200);
        final byte[] expected = jca.doFinal();

        final HmacSha1 mac = new HmacSha1(jdkInternals).init(key, 0, key.length);
        final byte[] out = new byte[20];

        mac.update(new UnsafeBuffer(data), 10, 200);
        mac.doFinal(out, 0);
        assertArrayEquals(expected, out);

        final ByteBuffer direct = ByteBuffer.allocateDirect(400);
        direct.put(5, data, 0, data.length);
        mac.update(new UnsafeBuffer(direct), 15, 200);
        mac.doFinal(out, 0);
        assertArrayEquals(expected, out);

        final UnsafeBuffer slice = new UnsafeBuffer(data, 4, 250);
        mac.update(slice, 6, 200);
        assertTrue(mac.verify(expected, 0, 20));

        mac.update(data, 10, 200);
        final byte[] tampered = expected.clone();
        tampered[3] ^= 1;
        assertFalse(mac.verify(tampered, 0, 10));
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void matchesJcaForEveryLengthAndSplit(final boolean jdkInternals) throws Exception
    {
        final byte[] key = new byte[20];
        final byte[] data = new byte[300];
        for (int i = 0; i < data.length; i++)
        {
            data[i] = (byte)(i * 29 + 3);
        }
        for (int i = 0; i < key.length; i++)
        {
            key[i] = (byte)(0xa0 + i);
        }
        final Mac jca = Mac.getInstance("HmacSHA1");
        jca.init(new SecretKeySpec(key, "HmacSHA1"));
        final HmacSha1 mac = new HmacSha1(jdkInternals).init(key, 0, key.length);
        final byte[] out = new byte[20];
        for (int length = 0; length <= 260; length++)
        {
            jca.update(data, 3, length);
            final byte[] expected = jca.doFinal();
            final int split = length / 3;
            mac.update(data, 3, split);
            if (length > split)
            {
                mac.update(data[3 + split]);
                mac.update(data, 4 + split, length - split - 1);
            }
            mac.doFinal(out, 0);
            assertArrayEquals(expected, out, "length " + length);
        }
    }

    @Test
    void jdkInternalsPathMatchesJcaOnceCompiled() throws Exception
    {
        // Enough messages for C2 to compile the internal path (with the SHA-1 intrinsic stubs) and keep checking.
        final byte[] key = new byte[20];
        Arrays.fill(key, (byte)0x0b);
        final byte[] data = new byte[400];
        for (int i = 0; i < data.length; i++)
        {
            data[i] = (byte)(i * 7 + 3);
        }
        final Mac jca = Mac.getInstance("HmacSHA1");
        jca.init(new SecretKeySpec(key, "HmacSHA1"));
        final HmacSha1 mac = new HmacSha1(true).init(key, 0, key.length);
        final byte[] out = new byte[20];
        for (int round = 0; round < 30_000; round++)
        {
            final int offset = round % 13;
            final int length = (round * 31) % 380;
            mac.update(data, offset, length);
            mac.update((byte)round);
            mac.doFinal(out, 0);
            if (round % 101 == 0)
            {
                jca.update(data, offset, length);
                jca.update((byte)round);
                assertArrayEquals(jca.doFinal(), out, "round " + round);
            }
        }
    }
}
