package dev.tandem.crypto;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The JDK's own SHA-1 compression function ({@code sun.security.provider.SHA}, SHA-NI intrinsic on x86) with its
 * chaining state exposed, so an HMAC can start from precomputed pad states and pad its own last block: two
 * compressions fewer per message than {@link MessageDigest}, and no digest-object bookkeeping.
 * <p>
 * Needs {@code --add-opens java.base/sun.security.provider=ALL-UNNAMED} (in {@code config/jvm.options}); without it,
 * or if the JDK's internals changed shape, {@link #AVAILABLE} is false and callers use {@link MessageDigest}.
 * A self-test against {@link MessageDigest} runs once before the path is declared available.
 */
final class JdkSha1
{
    static final int BLOCK_LENGTH = 64;
    static final int STATE_WORDS = 5;

    /** True when the JDK internals were reachable and passed the self-test. */
    static final boolean AVAILABLE;
    /** Why the internal path is off ("" when {@link #AVAILABLE}). */
    static final String UNAVAILABLE_REASON;

    private static final MethodHandle NEW_SHA;
    private static final MethodHandle COMPRESS;
    private static final MethodHandle COMPRESS_BLOCKS;
    private static final VarHandle STATE;
    private static final int[] INITIAL_STATE = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };

    static
    {
        MethodHandle newSha = null;
        MethodHandle compress = null;
        MethodHandle compressBlocks = null;
        VarHandle state = null;
        String reason = "";
        try
        {
            final Class<?> shaClass = Class.forName("sun.security.provider.SHA");
            final Class<?> digestBase = Class.forName("sun.security.provider.DigestBase");
            final MethodHandles.Lookup shaLookup = MethodHandles.privateLookupIn(shaClass, MethodHandles.lookup());
            final MethodHandles.Lookup baseLookup = MethodHandles.privateLookupIn(digestBase, MethodHandles.lookup());
            newSha = shaLookup.findConstructor(shaClass, MethodType.methodType(void.class))
                .asType(MethodType.methodType(Object.class));
            compress = shaLookup.findVirtual(shaClass, "implCompress",
                MethodType.methodType(void.class, byte[].class, int.class))
                .asType(MethodType.methodType(void.class, Object.class, byte[].class, int.class));
            compressBlocks = baseLookup.findVirtual(digestBase, "implCompressMultiBlock",
                MethodType.methodType(int.class, byte[].class, int.class, int.class))
                .asType(MethodType.methodType(int.class, Object.class, byte[].class, int.class, int.class));
            state = shaLookup.findVarHandle(shaClass, "state", int[].class);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            reason = ex.getClass().getSimpleName() + ": " + ex.getMessage();
        }
        NEW_SHA = newSha;
        COMPRESS = compress;
        COMPRESS_BLOCKS = compressBlocks;
        STATE = state;
        if (reason.isEmpty())
        {
            reason = selfTest();
        }
        AVAILABLE = reason.isEmpty();
        UNAVAILABLE_REASON = reason;
    }

    private final Object sha;
    /** The live chaining state (H0..H4) of the JDK object: read and written directly. */
    final int[] state;

    JdkSha1()
    {
        try
        {
            sha = NEW_SHA.invokeExact();
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("JDK SHA-1 internals unavailable: " + UNAVAILABLE_REASON, ex);
        }
        state = (int[])STATE.get(sha);
    }

    /**
     * Set the chaining state to SHA-1's initial value.
     */
    void resetState()
    {
        System.arraycopy(INITIAL_STATE, 0, state, 0, STATE_WORDS);
    }

    /**
     * Compress one 64-byte block into the state.
     *
     * @param block  bytes.
     * @param offset where the block starts.
     */
    void compress(final byte[] block, final int offset)
    {
        try
        {
            COMPRESS.invokeExact(sha, block, offset);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Compress consecutive 64-byte blocks into the state.
     *
     * @param bytes  bytes.
     * @param offset where the first block starts.
     * @param blocks how many blocks (at least one).
     */
    void compressBlocks(final byte[] bytes, final int offset, final int blocks)
    {
        try
        {
            final int ignored = (int)COMPRESS_BLOCKS.invokeExact(sha, bytes, offset,
                offset + (blocks - 1) * BLOCK_LENGTH);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static String selfTest()
    {
        try
        {
            final byte[] message = new byte[200];
            for (int i = 0; i < message.length; i++)
            {
                message[i] = (byte)(i * 31 + 7);
            }
            final byte[] expected = MessageDigest.getInstance("SHA-1").digest(Arrays.copyOf(message, 192));

            final JdkSha1 sha1 = new JdkSha1();
            sha1.resetState();
            sha1.compressBlocks(message, 0, 2);
            sha1.compress(message, 128);
            final byte[] last = new byte[BLOCK_LENGTH];
            last[0] = (byte)0x80;
            final long bits = 192L * 8;
            for (int i = 0; i < 8; i++)
            {
                last[BLOCK_LENGTH - 1 - i] = (byte)(bits >>> (8 * i));
            }
            sha1.compress(last, 0);
            final byte[] actual = new byte[20];
            for (int i = 0; i < STATE_WORDS; i++)
            {
                final int word = sha1.state[i];
                actual[4 * i] = (byte)(word >>> 24);
                actual[4 * i + 1] = (byte)(word >>> 16);
                actual[4 * i + 2] = (byte)(word >>> 8);
                actual[4 * i + 3] = (byte)word;
            }
            return Arrays.equals(expected, actual) ? "" : "self-test mismatch against MessageDigest SHA-1";
        }
        catch (final Exception | LinkageError ex)
        {
            return "self-test failed: " + ex;
        }
    }
}
