package dev.tandem.dtls;

import java.security.SecureRandom;

import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * Which primitives run the DTLS handshake: Bouncy Castle's own lightweight classes, or the JDK's providers (SunEC for
 * ECDHE and ECDSA, SunJCE for AES-GCM) behind Bouncy Castle's protocol code. Both are thread-safe and shared by all
 * handshakes of a factory. docs/perf/dtls.md has the measured rates that pick the default.
 */
public enum DtlsCryptoProvider
{
    /** Bouncy Castle's {@code BcTlsCrypto}. */
    BC,
    /** Bouncy Castle's {@code JcaTlsCrypto} over the JDK's default providers. */
    JCA;

    /** The default, chosen by the handshake benchmark (docs/perf/dtls.md). */
    public static final DtlsCryptoProvider DEFAULT = BC;

    /**
     * @param random the randomness of every handshake (client and server randoms, ECDHE keys, ECDSA nonces).
     * @return a new crypto instance.
     */
    TlsCrypto create(final SecureRandom random)
    {
        return this == BC ? new BcTlsCrypto(random) : new JcaTlsCryptoProvider().create(random);
    }
}
