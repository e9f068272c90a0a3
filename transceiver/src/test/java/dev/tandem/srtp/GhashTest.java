package dev.tandem.srtp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GhashTest
{
    @Test
    void ghashInternalsAreOpenUnderTheProjectJvmOptions()
    {
        assertTrue(JdkCrypto.GHASH_AVAILABLE, JdkCrypto.GHASH_REASON);
        assertInstanceOf(Ghash.Jdk.class, Ghash.create(new byte[16], true));
        assertInstanceOf(Ghash.Table.class, Ghash.create(new byte[16], false));
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void tagMatchesJcaGcmForEveryAadAndTextLength(final boolean jdkInternals) throws Exception
    {
        final byte[] key = Hex.bytes("feffe9928665731c6d6a8f9467308308");
        final byte[] iv = Hex.bytes("cafebabefacedbaddecaf888");
        final Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        final byte[] h = ecb.doFinal(new byte[16]);
        final Ghash ghash = Ghash.create(h, jdkInternals);
        final Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");

        final byte[] data = new byte[200];
        for (int i = 0; i < data.length; i++)
        {
            data[i] = (byte)(i * 37 + 11);
        }
        for (int aadLength = 0; aadLength <= 40; aadLength += 3)
        {
            for (int textLength = 0; textLength <= 100; textLength += 7)
            {
                // The JCA refuses to encrypt twice with one IV: vary it, and the tag mask E(K, J0) with it.
                iv[11] = (byte)(aadLength * 16 + textLength);
                final byte[] j0 = Arrays.copyOf(iv, 16);
                j0[15] = 1;
                final byte[] mask = ecb.doFinal(j0);
                gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
                gcm.updateAAD(data, 0, aadLength);
                final byte[] sealed = gcm.doFinal(data, 50, textLength);

                // Feed the AAD in two pieces to exercise the streaming buffer.
                ghash.update(data, 0, aadLength / 2);
                ghash.update(data, aadLength / 2, aadLength - aadLength / 2);
                ghash.pad();
                ghash.update(sealed, 0, textLength);
                final byte[] tag = new byte[16];
                ghash.digest(aadLength, textLength, tag, 0);
                for (int i = 0; i < 16; i++)
                {
                    tag[i] ^= mask[i];
                }
                assertArrayEquals(Arrays.copyOfRange(sealed, textLength, textLength + 16), tag,
                    "aad " + aadLength + " text " + textLength);
            }
        }
    }
}
