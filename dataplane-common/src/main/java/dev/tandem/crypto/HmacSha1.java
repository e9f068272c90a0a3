package dev.tandem.crypto;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) without allocation per message, for STUN MESSAGE-INTEGRITY and SRTP authentication.
 * {@code javax.crypto.Mac.doFinal} allocates on every call; this keeps two {@link MessageDigest}s (SHA-NI
 * intrinsics on the JDK) and the precomputed pad blocks instead. Not thread-safe: one instance per thread.
 */
public final class HmacSha1
{
    /** Length of the full MAC in bytes. */
    public static final int MAC_LENGTH = 20;
    private static final int BLOCK_LENGTH = 64;
    private static final long ARRAY_BASE_OFFSET = BufferUtil.ARRAY_BASE_OFFSET;

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerPad = new byte[BLOCK_LENGTH];
    private final byte[] outerPad = new byte[BLOCK_LENGTH];
    private final byte[] innerHash = new byte[MAC_LENGTH];
    private final byte[] scratch = new byte[MAC_LENGTH];
    private final byte[] copyBuffer = new byte[256];
    private boolean keyed;

    /**
     * A MAC without a key yet: call {@link #init} before use.
     */
    public HmacSha1()
    {
        try
        {
            inner = MessageDigest.getInstance("SHA-1");
            outer = MessageDigest.getInstance("SHA-1");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-1 is required by every JDK", ex);
        }
    }

    /**
     * Set the key (cold path: may allocate when the key is longer than a block) and start a message.
     *
     * @param key    key bytes.
     * @param offset where the key starts.
     * @param length key length in bytes.
     * @return this.
     */
    public HmacSha1 init(final byte[] key, final int offset, final int length)
    {
        byte[] k = key;
        int kOffset = offset;
        int kLength = length;
        if (length > BLOCK_LENGTH)
        {
            inner.reset();
            inner.update(key, offset, length);
            k = inner.digest();
            kOffset = 0;
            kLength = k.length;
        }
        for (int i = 0; i < BLOCK_LENGTH; i++)
        {
            final byte b = i < kLength ? k[kOffset + i] : 0;
            innerPad[i] = (byte)(b ^ 0x36);
            outerPad[i] = (byte)(b ^ 0x5c);
        }
        keyed = true;
        reset();
        return this;
    }

    /**
     * Start a new message with the same key.
     */
    public void reset()
    {
        if (!keyed)
        {
            throw new IllegalStateException("HmacSha1 used before init");
        }
        inner.reset();
        inner.update(innerPad, 0, BLOCK_LENGTH);
    }

    /**
     * @param bytes  message bytes.
     * @param offset where they start.
     * @param length how many.
     */
    public void update(final byte[] bytes, final int offset, final int length)
    {
        inner.update(bytes, offset, length);
    }

    /**
     * @param b one message byte.
     */
    public void update(final byte b)
    {
        inner.update(b);
    }

    /**
     * Feed bytes from an Agrona buffer: its backing array or byte buffer, whichever it wraps.
     *
     * @param buffer message bytes.
     * @param offset where they start in the buffer.
     * @param length how many.
     */
    public void update(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            inner.update(array, (int)(buffer.addressOffset() - ARRAY_BASE_OFFSET) + offset, length);
            return;
        }
        // Direct memory: copy through a small scratch array (MessageDigest has no allocation-free direct path).
        int done = 0;
        while (done < length)
        {
            final int chunk = Math.min(copyBuffer.length, length - done);
            buffer.getBytes(offset + done, copyBuffer, 0, chunk);
            inner.update(copyBuffer, 0, chunk);
            done += chunk;
        }
    }

    /**
     * Finish the message and write the full 20-byte MAC; the instance is ready for the next message.
     *
     * @param out    destination.
     * @param offset where to write 20 bytes.
     */
    public void doFinal(final byte[] out, final int offset)
    {
        try
        {
            inner.digest(innerHash, 0, MAC_LENGTH);
            outer.reset();
            outer.update(outerPad, 0, BLOCK_LENGTH);
            outer.update(innerHash, 0, MAC_LENGTH);
            outer.digest(out, offset, MAC_LENGTH);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
        reset();
    }

    /**
     * Finish the message and compare its MAC, truncated to {@code length} bytes, in constant time.
     *
     * @param expected the received MAC.
     * @param offset   where it starts.
     * @param length   how many bytes of the MAC were sent (10 for SRTP's 80-bit tag, 20 for STUN).
     * @return true when they match.
     */
    public boolean verify(final byte[] expected, final int offset, final int length)
    {
        doFinal(scratch, 0);
        int diff = 0;
        for (int i = 0; i < length; i++)
        {
            diff |= scratch[i] ^ expected[offset + i];
        }
        return diff == 0;
    }

    /**
     * Finish the message and compare its MAC with bytes in an Agrona buffer, in constant time.
     *
     * @param expected buffer holding the received MAC.
     * @param offset   where it starts.
     * @param length   how many bytes to compare.
     * @return true when they match.
     */
    public boolean verify(final DirectBuffer expected, final int offset, final int length)
    {
        doFinal(scratch, 0);
        int diff = 0;
        for (int i = 0; i < length; i++)
        {
            diff |= scratch[i] ^ expected.getByte(offset + i);
        }
        return diff == 0;
    }
}
