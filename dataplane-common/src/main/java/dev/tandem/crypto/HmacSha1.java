package dev.tandem.crypto;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA1 (RFC 2104) without allocation per message, for STUN MESSAGE-INTEGRITY and SRTP authentication.
 * {@code javax.crypto.Mac.doFinal} allocates on every call; this avoids it on one of two paths:
 * <ul>
 *   <li>JDK internals (when {@code --add-opens java.base/sun.security.provider=ALL-UNNAMED} is given, see
 *   {@link #jdkInternalsAvailable()}): the JDK's SHA-1 compression function (SHA-NI intrinsic) with the ipad/opad
 *   chaining states precomputed at {@link #init}, so a message costs two compressions fewer, and its own padding.</li>
 *   <li>Public API: two {@link MessageDigest}s fed the precomputed pad blocks.</li>
 * </ul>
 * Both give the same bytes. Not thread-safe: one instance per thread.
 */
public final class HmacSha1
{
    /** Length of the full MAC in bytes. */
    public static final int MAC_LENGTH = 20;
    private static final int BLOCK_LENGTH = JdkSha1.BLOCK_LENGTH;
    private static final int STATE_WORDS = JdkSha1.STATE_WORDS;
    private static final long ARRAY_BASE_OFFSET = BufferUtil.ARRAY_BASE_OFFSET;

    private final byte[] innerPad = new byte[BLOCK_LENGTH];
    private final byte[] outerPad = new byte[BLOCK_LENGTH];
    private final byte[] scratch = new byte[MAC_LENGTH];
    private final byte[] copyBuffer = new byte[256];
    private boolean keyed;

    // Public path: MessageDigest objects.
    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerHash;

    // JDK-internals path: raw compression with precomputed pad states.
    private final JdkSha1 sha;
    private final int[] innerState;
    private final int[] outerState;
    private final byte[] block;
    private final byte[] outerBlock;
    private int blockLength;
    private long messageLength;

    /**
     * A MAC without a key yet, on the fastest path this JVM allows: call {@link #init} before use.
     */
    public HmacSha1()
    {
        this(true);
    }

    /**
     * A MAC without a key yet: call {@link #init} before use.
     *
     * @param allowJdkInternals use the JDK's SHA-1 compression directly when it is reachable; false forces the
     *                          public {@link MessageDigest} path (for tests and comparisons).
     */
    public HmacSha1(final boolean allowJdkInternals)
    {
        if (allowJdkInternals && JdkSha1.AVAILABLE)
        {
            sha = new JdkSha1();
            innerState = new int[STATE_WORDS];
            outerState = new int[STATE_WORDS];
            block = new byte[BLOCK_LENGTH];
            outerBlock = new byte[BLOCK_LENGTH];
            // Outer message: 64-byte opad block then the 20-byte inner hash; the padding never changes.
            outerBlock[MAC_LENGTH] = (byte)0x80;
            putLongBigEndian(outerBlock, BLOCK_LENGTH - 8, (BLOCK_LENGTH + MAC_LENGTH) * 8L);
            inner = null;
            outer = null;
            innerHash = null;
        }
        else
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
            innerHash = new byte[MAC_LENGTH];
            sha = null;
            innerState = null;
            outerState = null;
            block = null;
            outerBlock = null;
        }
    }

    /**
     * @return true when this JVM lets HMAC-SHA1 use the JDK's SHA-1 compression directly.
     */
    public static boolean jdkInternalsAvailable()
    {
        return JdkSha1.AVAILABLE;
    }

    /**
     * @return which path {@code new HmacSha1()} takes here, and why when it is the public one.
     */
    public static String implementation()
    {
        return JdkSha1.AVAILABLE ?
            "JDK SHA-1 compression (sun.security.provider.SHA, precomputed pad states)" :
            "MessageDigest SHA-1 (JDK internals unavailable: " + JdkSha1.UNAVAILABLE_REASON + ")";
    }

    /**
     * @return true when this instance runs on the JDK's SHA-1 compression directly.
     */
    public boolean usesJdkInternals()
    {
        return sha != null;
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
            try
            {
                k = MessageDigest.getInstance("SHA-1").digest(Arrays.copyOfRange(key, offset, offset + length));
            }
            catch (final NoSuchAlgorithmException ex)
            {
                throw new IllegalStateException("SHA-1 is required by every JDK", ex);
            }
            kOffset = 0;
            kLength = k.length;
        }
        for (int i = 0; i < BLOCK_LENGTH; i++)
        {
            final byte b = i < kLength ? k[kOffset + i] : 0;
            innerPad[i] = (byte)(b ^ 0x36);
            outerPad[i] = (byte)(b ^ 0x5c);
        }
        if (sha != null)
        {
            sha.resetState();
            sha.compress(innerPad, 0);
            System.arraycopy(sha.state, 0, innerState, 0, STATE_WORDS);
            sha.resetState();
            sha.compress(outerPad, 0);
            System.arraycopy(sha.state, 0, outerState, 0, STATE_WORDS);
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
        if (sha != null)
        {
            System.arraycopy(innerState, 0, sha.state, 0, STATE_WORDS);
            blockLength = 0;
            messageLength = 0;
        }
        else
        {
            inner.reset();
            inner.update(innerPad, 0, BLOCK_LENGTH);
        }
    }

    /**
     * @param bytes  message bytes.
     * @param offset where they start.
     * @param length how many.
     */
    public void update(final byte[] bytes, final int offset, final int length)
    {
        if (sha == null)
        {
            inner.update(bytes, offset, length);
            return;
        }
        if (offset < 0 || length < 0 || length > bytes.length - offset)
        {
            throw new IndexOutOfBoundsException("offset " + offset + " length " + length);
        }
        int from = offset;
        int remaining = length;
        messageLength += length;
        if (blockLength > 0)
        {
            final int take = Math.min(BLOCK_LENGTH - blockLength, remaining);
            System.arraycopy(bytes, from, block, blockLength, take);
            blockLength += take;
            from += take;
            remaining -= take;
            if (blockLength < BLOCK_LENGTH)
            {
                return;
            }
            sha.compress(block, 0);
            blockLength = 0;
        }
        final int blocks = remaining / BLOCK_LENGTH;
        if (blocks > 0)
        {
            sha.compressBlocks(bytes, from, blocks);
            from += blocks * BLOCK_LENGTH;
            remaining -= blocks * BLOCK_LENGTH;
        }
        if (remaining > 0)
        {
            System.arraycopy(bytes, from, block, 0, remaining);
            blockLength = remaining;
        }
    }

    /**
     * @param b one message byte.
     */
    public void update(final byte b)
    {
        if (sha == null)
        {
            inner.update(b);
            return;
        }
        messageLength++;
        block[blockLength++] = b;
        if (blockLength == BLOCK_LENGTH)
        {
            sha.compress(block, 0);
            blockLength = 0;
        }
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
            update(array, (int)(buffer.addressOffset() - ARRAY_BASE_OFFSET) + offset, length);
            return;
        }
        // Direct memory: copy through a small scratch array (MessageDigest has no allocation-free direct path).
        int done = 0;
        while (done < length)
        {
            final int chunk = Math.min(copyBuffer.length, length - done);
            buffer.getBytes(offset + done, copyBuffer, 0, chunk);
            update(copyBuffer, 0, chunk);
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
        if (sha != null)
        {
            finishInternal(out, offset);
            return;
        }
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

    private void finishInternal(final byte[] out, final int offset)
    {
        // RFC 3174 4: 0x80, zeros, then the bit length of everything hashed (the ipad block included).
        final long bits = (messageLength + BLOCK_LENGTH) << 3;
        final byte[] tail = block;
        int length = blockLength;
        tail[length++] = (byte)0x80;
        if (length > BLOCK_LENGTH - 8)
        {
            Arrays.fill(tail, length, BLOCK_LENGTH, (byte)0);
            sha.compress(tail, 0);
            length = 0;
        }
        Arrays.fill(tail, length, BLOCK_LENGTH - 8, (byte)0);
        putLongBigEndian(tail, BLOCK_LENGTH - 8, bits);
        sha.compress(tail, 0);

        final int[] state = sha.state;
        for (int i = 0; i < STATE_WORDS; i++)
        {
            putIntBigEndian(outerBlock, 4 * i, state[i]);
        }
        System.arraycopy(outerState, 0, state, 0, STATE_WORDS);
        sha.compress(outerBlock, 0);
        for (int i = 0; i < STATE_WORDS; i++)
        {
            putIntBigEndian(out, offset + 4 * i, state[i]);
        }

        System.arraycopy(innerState, 0, state, 0, STATE_WORDS);
        blockLength = 0;
        messageLength = 0;
    }

    private static void putIntBigEndian(final byte[] bytes, final int offset, final int value)
    {
        bytes[offset] = (byte)(value >>> 24);
        bytes[offset + 1] = (byte)(value >>> 16);
        bytes[offset + 2] = (byte)(value >>> 8);
        bytes[offset + 3] = (byte)value;
    }

    private static void putLongBigEndian(final byte[] bytes, final int offset, final long value)
    {
        putIntBigEndian(bytes, offset, (int)(value >>> 32));
        putIntBigEndian(bytes, offset + 4, (int)value);
    }
}
