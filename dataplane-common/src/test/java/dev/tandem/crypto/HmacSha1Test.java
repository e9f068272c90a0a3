package dev.tandem.crypto;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HmacSha1Test
{
    @Test
    void matchesRfc2202TestCase2()
    {
        final byte[] key = "Jefe".getBytes(StandardCharsets.US_ASCII);
        final byte[] data = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
        final HmacSha1 mac = new HmacSha1().init(key, 0, key.length);
        mac.update(data, 0, data.length);
        final byte[] out = new byte[20];
        mac.doFinal(out, 0);
        assertEquals("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", HexFormat.of().formatHex(out));
    }

    @Test
    void matchesJcaForLongKeysAndEveryBufferKind() throws Exception
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

        final HmacSha1 mac = new HmacSha1().init(key, 0, key.length);
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
}
