package dev.tandem.srtp;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * GHASH (NIST SP 800-38D 6.4) over GCM's two segments, each zero-padded to a block: feed the AAD, {@link #pad()},
 * feed the ciphertext, then {@link #digest} appends the length block and writes S. Streaming, so an AAD made of
 * pieces (the SRTCP header and the ESRTCP word at the packet's end) needs no copy. Two implementations:
 * <ul>
 *   <li>{@link Jdk}: SunJCE's {@code GHASH} (carry-less multiply intrinsic, constant-time).</li>
 *   <li>{@link Table}: 8-bit Shoup tables in Java, 4 KiB per key. <b>Not constant-time</b>: its table lookups are
 *   indexed by data mixed with the secret hash state, so a co-resident attacker measuring cache timing may learn
 *   about H. It is the fallback when the JDK internals are closed.</li>
 * </ul>
 * Not thread-safe.
 */
abstract class Ghash
{
    static final int BLOCK_LENGTH = 16;

    final byte[] buffer = new byte[BLOCK_LENGTH];
    int buffered;

    /**
     * @param h                 the hash subkey E(K, 0^128), 16 bytes (copied).
     * @param allowJdkInternals prefer {@link Jdk} when it is available.
     * @return a keyed instance, reset.
     */
    static Ghash create(final byte[] h, final boolean allowJdkInternals)
    {
        return allowJdkInternals && JdkCrypto.GHASH_AVAILABLE ? new Jdk(h) : new Table(h);
    }

    /**
     * Start a new message.
     */
    abstract void reset();

    /**
     * Absorb whole 16-byte blocks.
     *
     * @param bytes  source.
     * @param offset where the first block starts.
     * @param blocks how many blocks.
     */
    abstract void blocks(byte[] bytes, int offset, int blocks);

    /**
     * Write the hash state as 16 bytes.
     *
     * @param out    destination.
     * @param offset where to write.
     */
    abstract void state(byte[] out, int offset);

    /**
     * @return a short name of the implementation, for reports.
     */
    abstract String implementation();

    /**
     * Absorb bytes of the current segment.
     *
     * @param bytes  source.
     * @param offset where they start.
     * @param length how many.
     */
    final void update(final byte[] bytes, final int offset, final int length)
    {
        int from = offset;
        int remaining = length;
        if (buffered > 0)
        {
            final int take = Math.min(BLOCK_LENGTH - buffered, remaining);
            System.arraycopy(bytes, from, buffer, buffered, take);
            buffered += take;
            from += take;
            remaining -= take;
            if (buffered < BLOCK_LENGTH)
            {
                return;
            }
            blocks(buffer, 0, 1);
            buffered = 0;
        }
        final int whole = remaining >>> 4;
        if (whole > 0)
        {
            blocks(bytes, from, whole);
            from += whole << 4;
            remaining -= whole << 4;
        }
        if (remaining > 0)
        {
            System.arraycopy(bytes, from, buffer, 0, remaining);
            buffered = remaining;
        }
    }

    /**
     * End the current segment: zero-pad a partial block and absorb it.
     */
    final void pad()
    {
        if (buffered > 0)
        {
            Arrays.fill(buffer, buffered, BLOCK_LENGTH, (byte)0);
            blocks(buffer, 0, 1);
            buffered = 0;
        }
    }

    /**
     * Pad, absorb the length block {@code [len(A)]64 || [len(C)]64} and write S; then start a new message.
     *
     * @param aadLength        bytes of AAD absorbed.
     * @param ciphertextLength bytes of ciphertext absorbed.
     * @param out              destination of the 16-byte result.
     * @param offset           where to write.
     */
    final void digest(final int aadLength, final int ciphertextLength, final byte[] out, final int offset)
    {
        pad();
        putLong(buffer, 0, (long)aadLength << 3);
        putLong(buffer, 8, (long)ciphertextLength << 3);
        blocks(buffer, 0, 1);
        state(out, offset);
        reset();
    }

    static void putLong(final byte[] bytes, final int offset, final long value)
    {
        for (int i = 0; i < 8; i++)
        {
            bytes[offset + i] = (byte)(value >>> (56 - 8 * i));
        }
    }

    static long getLong(final byte[] bytes, final int offset)
    {
        long value = 0;
        for (int i = 0; i < 8; i++)
        {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    /**
     * Compare {@link Jdk} against the JCA's AES/GCM tag of a message with AAD and ciphertext of odd lengths.
     *
     * @return "" when they agree, else why not.
     */
    static String selfTest()
    {
        try
        {
            final byte[] key = new byte[16];
            final byte[] iv = new byte[12];
            final byte[] aad = new byte[21];
            final byte[] plaintext = new byte[37];
            for (int i = 0; i < 37; i++)
            {
                plaintext[i] = (byte)(i * 3 + 1);
                if (i < 21)
                {
                    aad[i] = (byte)(i * 5 + 2);
                }
                if (i < 16)
                {
                    key[i] = (byte)(0x40 + i);
                }
                if (i < 12)
                {
                    iv[i] = (byte)(0x90 + i);
                }
            }
            final Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            gcm.updateAAD(aad);
            final byte[] sealed = gcm.doFinal(plaintext);

            final Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            final byte[] h = ecb.doFinal(new byte[16]);
            final byte[] j0 = Arrays.copyOf(iv, 16);
            j0[15] = 1;
            final byte[] mask = ecb.doFinal(j0);

            final Ghash ghash = new Jdk(h);
            ghash.update(aad, 0, 5);
            ghash.update(aad, 5, 16);
            ghash.pad();
            ghash.update(sealed, 0, 37);
            final byte[] tag = new byte[16];
            ghash.digest(21, 37, tag, 0);
            for (int i = 0; i < 16; i++)
            {
                tag[i] ^= mask[i];
            }
            return Arrays.equals(tag, Arrays.copyOfRange(sealed, 37, 53)) ?
                "" : "self-test mismatch against the JCA's AES/GCM tag";
        }
        catch (final GeneralSecurityException | RuntimeException | LinkageError ex)
        {
            return "self-test failed: " + ex;
        }
    }

    /**
     * SunJCE's {@code GHASH}: its {@code update} absorbs whole blocks through the intrinsic, and its two-long state
     * array is read and cleared in place.
     */
    static final class Jdk extends Ghash
    {
        private final Object ghash;
        private final long[] liveState;

        Jdk(final byte[] h)
        {
            try
            {
                ghash = JdkCrypto.NEW_GHASH.invokeExact(h.clone());
            }
            catch (final Throwable ex)
            {
                throw new IllegalStateException("GHASH unavailable", ex);
            }
            liveState = (long[])JdkCrypto.GHASH_STATE.get(ghash);
            reset();
        }

        void reset()
        {
            liveState[0] = 0;
            liveState[1] = 0;
            buffered = 0;
        }

        void blocks(final byte[] bytes, final int offset, final int blocks)
        {
            try
            {
                final int ignored = (int)JdkCrypto.GHASH_UPDATE.invokeExact(
                    ghash, bytes, offset, blocks << 4);
            }
            catch (final Throwable ex)
            {
                throw new IllegalStateException("GHASH failed", ex);
            }
        }

        void state(final byte[] out, final int offset)
        {
            putLong(out, offset, liveState[0]);
            putLong(out, offset + 8, liveState[1]);
        }

        String implementation()
        {
            return "JDK GHASH (intrinsic carry-less multiply, constant-time)";
        }
    }

    /**
     * Shoup's 8-bit table method: {@code M[b] = b * H} for every byte value, and the reduction of the 8 bits
     * shifted out per step. <b>Not constant-time</b> (see the class comment).
     */
    static final class Table extends Ghash
    {
        private static final long[] REDUCE = new long[256];

        static
        {
            // REDUCE[r]: what shifting the low byte r out of a 128-bit value (times x^8) folds back into the top.
            for (int r = 0; r < 256; r++)
            {
                long high = 0;
                long low = r;
                for (int i = 0; i < 8; i++)
                {
                    final boolean carry = (low & 1) != 0;
                    low = (low >>> 1) | (high << 63);
                    high >>>= 1;
                    if (carry)
                    {
                        high ^= 0xE100000000000000L;
                    }
                }
                REDUCE[r] = high;
            }
        }

        private final long[] tableHigh = new long[256];
        private final long[] tableLow = new long[256];
        private long stateHigh;
        private long stateLow;

        Table(final byte[] h)
        {
            // Bit 7 of a byte is the coefficient of x^0 (GCM's reflected order): M[0x80] = H, M[0x40] = H * x, ...
            long high = getLong(h, 0);
            long low = getLong(h, 8);
            for (int bit = 0x80; bit > 0; bit >>>= 1)
            {
                tableHigh[bit] = high;
                tableLow[bit] = low;
                final boolean carry = (low & 1) != 0;
                low = (low >>> 1) | (high << 63);
                high >>>= 1;
                if (carry)
                {
                    high ^= 0xE100000000000000L;
                }
            }
            for (int b = 2; b < 256; b <<= 1)
            {
                for (int j = 1; j < b; j++)
                {
                    tableHigh[b + j] = tableHigh[b] ^ tableHigh[j];
                    tableLow[b + j] = tableLow[b] ^ tableLow[j];
                }
            }
            reset();
        }

        void reset()
        {
            stateHigh = 0;
            stateLow = 0;
            buffered = 0;
        }

        void blocks(final byte[] bytes, final int offset, final int blocks)
        {
            final long[] tableHigh = this.tableHigh;
            final long[] tableLow = this.tableLow;
            long high = stateHigh;
            long low = stateLow;
            for (int block = 0; block < blocks; block++)
            {
                final int base = offset + (block << 4);
                final long xHigh = high ^ getLong(bytes, base);
                final long xLow = low ^ getLong(bytes, base + 8);
                // Horner over the bytes from last to first: Z = Z * x^8 + M[byte]; bytes 15..8 are xLow's.
                int b = (int)(xLow & 0xFF);
                high = tableHigh[b];
                low = tableLow[b];
                for (int shift = 8; shift < 64; shift += 8)
                {
                    b = (int)((xLow >>> shift) & 0xFF);
                    final int shiftedOut = (int)(low & 0xFF);
                    low = ((low >>> 8) | (high << 56)) ^ tableLow[b];
                    high = (high >>> 8) ^ REDUCE[shiftedOut] ^ tableHigh[b];
                }
                for (int shift = 0; shift < 64; shift += 8)
                {
                    b = (int)((xHigh >>> shift) & 0xFF);
                    final int shiftedOut = (int)(low & 0xFF);
                    low = ((low >>> 8) | (high << 56)) ^ tableLow[b];
                    high = (high >>> 8) ^ REDUCE[shiftedOut] ^ tableHigh[b];
                }
            }
            stateHigh = high;
            stateLow = low;
        }

        void state(final byte[] out, final int offset)
        {
            putLong(out, offset, stateHigh);
            putLong(out, offset + 8, stateLow);
        }

        String implementation()
        {
            return "Java 8-bit table GHASH (NOT constant-time)";
        }
    }
}
