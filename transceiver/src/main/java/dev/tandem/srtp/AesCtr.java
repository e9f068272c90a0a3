package dev.tandem.srtp;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * AES-128 in counter mode with a full 128-bit big-endian counter (the SRTP AES-CM keystream, RFC 3711 4.1.1, and
 * GCM's GCTR, whose 32-bit increment never wraps for packets under 2^32 blocks), restartable at any counter block
 * per packet without allocation. Two implementations:
 * <ul>
 *   <li>{@link Jdk}: the SunJCE {@code CounterMode} object driven directly (intrinsic AES-CTR stub); a restart is a
 *   16-byte copy.</li>
 *   <li>{@link Jca}: the public {@code AES/CTR/NoPadding} cipher re-initialised per packet with a reused key object
 *   and an {@link IvParameterSpec} that hands out a live array (neither is copied); the JCA copies overlapping
 *   input, so in-place work goes through a scratch array.</li>
 * </ul>
 * Not thread-safe.
 */
abstract class AesCtr
{
    static final int BLOCK_LENGTH = 16;

    /**
     * @param key               the AES-128 key (copied).
     * @param allowJdkInternals prefer {@link Jdk} when it is available.
     * @return a keyed instance.
     */
    static AesCtr create(final byte[] key, final boolean allowJdkInternals)
    {
        return allowJdkInternals && JdkCrypto.COUNTER_MODE_AVAILABLE ? new Jdk(key) : new Jca(key);
    }

    /**
     * Restart the keystream at a counter block.
     *
     * @param counterBlock 16 bytes: the first counter value (read, not kept).
     */
    abstract void start(byte[] counterBlock);

    /**
     * XOR the next {@code length} keystream bytes into {@code in} and write the result to {@code out}; the same
     * array and offset may be given for in-place work. Keystream bytes left over from a partial block are used
     * by the next call.
     *
     * @param in        source.
     * @param inOffset  where the source starts.
     * @param length    how many bytes.
     * @param out       destination.
     * @param outOffset where to write.
     */
    abstract void apply(byte[] in, int inOffset, int length, byte[] out, int outOffset);

    /**
     * @return a short name of the implementation, for reports.
     */
    abstract String implementation();

    /**
     * Compare {@link Jdk} against the public JCA on in-place, offset and partial-block work.
     *
     * @return "" when they agree, else why not.
     */
    static String selfTest()
    {
        try
        {
            final byte[] key = new byte[16];
            final byte[] counter = new byte[16];
            for (int i = 0; i < 16; i++)
            {
                key[i] = (byte)(i * 11 + 5);
                counter[i] = (byte)(0xf0 + i);
            }
            counter[14] = (byte)0xff;
            counter[15] = (byte)0xfe;
            final byte[] data = new byte[100];
            for (int i = 0; i < data.length; i++)
            {
                data[i] = (byte)(i * 7);
            }
            final Cipher reference = Cipher.getInstance("AES/CTR/NoPadding");
            reference.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(counter));
            final byte[] expected = reference.doFinal(data, 3, 90);

            final Jdk jdk = new Jdk(key);
            final byte[] actual = Arrays.copyOf(data, data.length);
            jdk.start(counter);
            jdk.apply(actual, 3, 17, actual, 3);
            jdk.apply(actual, 20, 73, actual, 20);
            return Arrays.equals(expected, Arrays.copyOfRange(actual, 3, 93)) ?
                "" : "self-test mismatch against the JCA's AES/CTR";
        }
        catch (final GeneralSecurityException | RuntimeException | LinkageError ex)
        {
            return "self-test failed: " + ex;
        }
    }

    static IllegalStateException unexpected(final Throwable ex)
    {
        return new IllegalStateException("AES-CTR failed", ex);
    }

    /**
     * SunJCE's {@code CounterMode} used directly: it keeps a reference to the IV array given to {@code init} and
     * copies it into its counter on {@code reset()}, so a restart is "write the live IV, reset".
     */
    static final class Jdk extends AesCtr
    {
        private final Object counterMode;
        private final byte[] liveIv = new byte[BLOCK_LENGTH];

        Jdk(final byte[] key)
        {
            try
            {
                final Object aes = JdkCrypto.NEW_AES.invokeExact();
                counterMode = JdkCrypto.NEW_COUNTER_MODE.invokeExact(aes);
                JdkCrypto.COUNTER_MODE_INIT.invokeExact(counterMode, false, "AES", key.clone(), liveIv);
            }
            catch (final Throwable ex)
            {
                throw unexpected(ex);
            }
        }

        void start(final byte[] counterBlock)
        {
            System.arraycopy(counterBlock, 0, liveIv, 0, BLOCK_LENGTH);
            try
            {
                JdkCrypto.COUNTER_MODE_RESET.invokeExact(counterMode);
            }
            catch (final Throwable ex)
            {
                throw unexpected(ex);
            }
        }

        void apply(final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset)
        {
            if (length <= 0)
            {
                return;
            }
            try
            {
                final int ignored = (int)JdkCrypto.COUNTER_MODE_CRYPT.invokeExact(
                    counterMode, in, inOffset, length, out, outOffset);
            }
            catch (final Throwable ex)
            {
                throw unexpected(ex);
            }
        }

        String implementation()
        {
            return "JDK CounterMode (intrinsic AES-CTR)";
        }
    }

    /**
     * The public JCA path: {@code Cipher.init} per packet with objects that neither copy nor allocate.
     */
    static final class Jca extends AesCtr
    {
        private static final int SCRATCH_LENGTH = 2048;

        private final Cipher cipher;
        private final ReusedKey key;
        private final LiveIv iv = new LiveIv();
        private final byte[] scratch = new byte[SCRATCH_LENGTH];

        Jca(final byte[] key)
        {
            this.key = new ReusedKey(key);
            try
            {
                cipher = Cipher.getInstance("AES/CTR/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, this.key, iv);
            }
            catch (final GeneralSecurityException ex)
            {
                throw unexpected(ex);
            }
        }

        void start(final byte[] counterBlock)
        {
            System.arraycopy(counterBlock, 0, iv.bytes, 0, BLOCK_LENGTH);
            try
            {
                cipher.init(Cipher.ENCRYPT_MODE, key, iv);
            }
            catch (final GeneralSecurityException ex)
            {
                throw unexpected(ex);
            }
        }

        void apply(final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset)
        {
            try
            {
                if (in != out)
                {
                    cipher.update(in, inOffset, length, out, outOffset);
                    return;
                }
                // Overlapping input and output make the JCA copy the input (an allocation): go through scratch.
                int done = 0;
                while (done < length)
                {
                    final int chunk = Math.min(SCRATCH_LENGTH, length - done);
                    cipher.update(in, inOffset + done, chunk, scratch, 0);
                    System.arraycopy(scratch, 0, out, outOffset + done, chunk);
                    done += chunk;
                }
            }
            catch (final GeneralSecurityException ex)
            {
                throw unexpected(ex);
            }
        }

        String implementation()
        {
            return "JCA AES/CTR/NoPadding (Cipher.init per packet)";
        }
    }

    /**
     * An IV whose {@link #getIV()} returns the live array instead of a copy: SunJCE's CTR keeps and reads it on
     * init only.
     */
    static final class LiveIv extends IvParameterSpec
    {
        final byte[] bytes = new byte[BLOCK_LENGTH];

        LiveIv()
        {
            super(new byte[BLOCK_LENGTH]);
        }

        public byte[] getIV()
        {
            return bytes;
        }
    }

    /**
     * A raw AES key that refills one array on each {@link #getEncoded()}: SunJCE zeroes the array it gets after
     * init, and compares it with the last key to skip the key schedule.
     */
    static final class ReusedKey implements SecretKey
    {
        private static final long serialVersionUID = 1L;

        private final byte[] key;
        private final byte[] encoded;

        ReusedKey(final byte[] key)
        {
            this.key = key.clone();
            this.encoded = new byte[key.length];
        }

        public String getAlgorithm()
        {
            return "AES";
        }

        public String getFormat()
        {
            return "RAW";
        }

        public byte[] getEncoded()
        {
            System.arraycopy(key, 0, encoded, 0, key.length);
            return encoded;
        }
    }
}
