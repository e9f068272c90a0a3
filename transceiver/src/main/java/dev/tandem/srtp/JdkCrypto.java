package dev.tandem.srtp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

/**
 * Handles on the SunJCE classes the JDK intrinsifies: {@code com.sun.crypto.provider.CounterMode} over
 * {@code AESCrypt} (AES-NI/VAES counter-mode stub) and {@code GHASH} (PCLMULQDQ stub). Through the public JCA,
 * re-keying a CTR cipher per packet costs a {@code Cipher.init} and AES-GCM allocates ~1 KB per packet (the trials
 * recorded in the project's shared DEPENDENCIES.md); used directly, both are allocation-free and faster
 * (docs/perf/srtp.md).
 * <p>
 * Needs {@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED} (in {@code config/jvm.options}). When the
 * package is closed or its shape changed, the flags below are false with a reason, and {@link AesCtr} and
 * {@link Ghash} fall back to the public path. Each path is checked against the public JCA before it is declared
 * available.
 */
final class JdkCrypto
{
    static final boolean COUNTER_MODE_AVAILABLE;
    static final String COUNTER_MODE_REASON;
    static final boolean GHASH_AVAILABLE;
    static final String GHASH_REASON;

    // CounterMode: new AESCrypt(), new CounterMode(aes), init(false, "AES", key, iv), reset(), encrypt(...).
    static final MethodHandle NEW_AES;
    static final MethodHandle NEW_COUNTER_MODE;
    static final MethodHandle COUNTER_MODE_INIT;
    static final MethodHandle COUNTER_MODE_RESET;
    static final MethodHandle COUNTER_MODE_CRYPT;

    // GHASH: new GHASH(h), update(in, offset, length) over whole blocks, and its live state (two longs).
    static final MethodHandle NEW_GHASH;
    static final MethodHandle GHASH_UPDATE;
    static final VarHandle GHASH_STATE;

    static
    {
        MethodHandle newAes = null;
        MethodHandle newCounterMode = null;
        MethodHandle init = null;
        MethodHandle reset = null;
        MethodHandle crypt = null;
        String counterModeReason = "";
        try
        {
            final Class<?> aesClass = Class.forName("com.sun.crypto.provider.AESCrypt");
            final Class<?> symmetricCipher = Class.forName("com.sun.crypto.provider.SymmetricCipher");
            final Class<?> counterMode = Class.forName("com.sun.crypto.provider.CounterMode");
            final Class<?> feedbackCipher = Class.forName("com.sun.crypto.provider.FeedbackCipher");
            final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(counterMode, MethodHandles.lookup());
            newAes = lookup.findConstructor(aesClass, MethodType.methodType(void.class))
                .asType(MethodType.methodType(Object.class));
            newCounterMode = lookup.findConstructor(counterMode, MethodType.methodType(void.class, symmetricCipher))
                .asType(MethodType.methodType(Object.class, Object.class));
            init = lookup.findVirtual(counterMode, "init",
                MethodType.methodType(void.class, boolean.class, String.class, byte[].class, byte[].class))
                .asType(MethodType.methodType(
                void.class, Object.class, boolean.class, String.class, byte[].class, byte[].class));
            reset = lookup.findVirtual(counterMode, "reset", MethodType.methodType(void.class))
                .asType(MethodType.methodType(void.class, Object.class));
            crypt = lookup.findVirtual(counterMode, "encrypt",
                MethodType.methodType(int.class, byte[].class, int.class, int.class, byte[].class, int.class))
                .asType(MethodType.methodType(
                int.class, Object.class, byte[].class, int.class, int.class, byte[].class, int.class));
            if (!feedbackCipher.isAssignableFrom(counterMode))
            {
                counterModeReason = "CounterMode is no FeedbackCipher";
            }
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            counterModeReason = ex.getClass().getSimpleName() + ": " + ex.getMessage();
        }
        NEW_AES = newAes;
        NEW_COUNTER_MODE = newCounterMode;
        COUNTER_MODE_INIT = init;
        COUNTER_MODE_RESET = reset;
        COUNTER_MODE_CRYPT = crypt;
        if (counterModeReason.isEmpty())
        {
            counterModeReason = AesCtr.selfTest();
        }
        COUNTER_MODE_AVAILABLE = counterModeReason.isEmpty();
        COUNTER_MODE_REASON = counterModeReason;

        MethodHandle newGhash = null;
        MethodHandle update = null;
        VarHandle state = null;
        String ghashReason = "";
        try
        {
            final Class<?> ghashClass = Class.forName("com.sun.crypto.provider.GHASH");
            final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(ghashClass, MethodHandles.lookup());
            newGhash = lookup.findConstructor(ghashClass, MethodType.methodType(void.class, byte[].class))
                .asType(MethodType.methodType(Object.class, byte[].class));
            update = lookup.findVirtual(ghashClass, "update",
                MethodType.methodType(int.class, byte[].class, int.class, int.class))
                .asType(MethodType.methodType(int.class, Object.class, byte[].class, int.class, int.class));
            state = lookup.findVarHandle(ghashClass, "state", long[].class);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            ghashReason = ex.getClass().getSimpleName() + ": " + ex.getMessage();
        }
        NEW_GHASH = newGhash;
        GHASH_UPDATE = update;
        GHASH_STATE = state;
        if (ghashReason.isEmpty())
        {
            ghashReason = Ghash.selfTest();
        }
        GHASH_AVAILABLE = ghashReason.isEmpty();
        GHASH_REASON = ghashReason;
    }

    private JdkCrypto()
    {
    }
}
