package dev.tandem.srtp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AesCtrTest
{
    @Test
    void counterModeInternalsAreOpenUnderTheProjectJvmOptions()
    {
        assertTrue(JdkCrypto.COUNTER_MODE_AVAILABLE, JdkCrypto.COUNTER_MODE_REASON);
        assertInstanceOf(AesCtr.Jdk.class, AesCtr.create(new byte[16], true));
        assertInstanceOf(AesCtr.Jca.class, AesCtr.create(new byte[16], false));
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void producesRfc3711AppendixB2Keystream(final boolean jdkInternals)
    {
        // RFC 3711 B.2: session key, and the salt already shifted into the counter (SSRC 0, index 0).
        final AesCtr ctr = AesCtr.create(Hex.bytes("2B7E151628AED2A6ABF7158809CF4F3C"), jdkInternals);
        final byte[] keystream = new byte[65282 * 16];
        ctr.start(Hex.bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"));
        ctr.apply(keystream, 0, keystream.length, keystream, 0);

        assertEquals("e03ead0935c95e80e166b16dd92b4eb4", Hex.string(keystream, 0, 16));
        assertEquals("d23513162b02d0f72a43a2fe4a5f97ab", Hex.string(keystream, 16, 16));
        assertEquals("41e95b3bb0a2e8dd477901e4fca894c0", Hex.string(keystream, 32, 16));
        assertEquals("ec8cdf7398607cb0f2d21675ea9ea1e4", Hex.string(keystream, 0xFEFF * 16, 16));
        assertEquals("362b7c3c6773516318a077d7fc5073ae", Hex.string(keystream, 0xFF00 * 16, 16));
        assertEquals("6a2cc3787889374fbeb4c81b17ba6c44", Hex.string(keystream, 0xFF01 * 16, 16));
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void matchesJcaInPlaceAtEveryOffsetOnceCompiled(final boolean jdkInternals) throws Exception
    {
        // Enough iterations for C2 to replace the Java code with the intrinsic stub, in place and at odd offsets.
        final byte[] key = Hex.bytes("000102030405060708090a0b0c0d0e0f");
        final byte[] counter = Hex.bytes("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        final Cipher reference = Cipher.getInstance("AES/CTR/NoPadding");
        final AesCtr ctr = AesCtr.create(key, jdkInternals);
        final byte[] data = new byte[300];
        for (int i = 0; i < data.length; i++)
        {
            data[i] = (byte)(i * 13);
        }
        for (int round = 0; round < 20_000; round++)
        {
            final int offset = round % 7;
            final int length = 1 + round % 280;
            counter[15] = (byte)round;
            final byte[] work = data.clone();
            ctr.start(counter);
            ctr.apply(work, offset, length, work, offset);
            if (round % 97 == 0)
            {
                reference.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(counter));
                final byte[] expected = reference.doFinal(data, offset, length);
                assertArrayEquals(expected, Arrays.copyOfRange(work, offset, offset + length), "round " + round);
                assertArrayEquals(Arrays.copyOfRange(data, offset + length, data.length),
                    Arrays.copyOfRange(work, offset + length, data.length), "bytes after the range untouched");
            }
        }
    }
}
