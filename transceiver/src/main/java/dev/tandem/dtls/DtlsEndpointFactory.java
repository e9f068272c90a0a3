package dev.tandem.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * Makes {@link DtlsEndpoint}s that share one certificate, one crypto instance, one handshake executor, one set of
 * counters and one configuration. Thread-safe: any thread may create endpoints.
 * <pre>{@code
 * DtlsEndpointFactory factory = new DtlsEndpointFactory(new DtlsEndpointFactory.Context()
 *     .certificate(DtlsCertificate.generate(random))
 *     .executor(handshakeExecutor));
 * DtlsEndpoint endpoint = factory.newServer(offer.fingerprint());   // "sha-256 AB:CD:..." from the client's SDP
 * }</pre>
 */
public final class DtlsEndpointFactory
{
    private final DtlsCertificate certificate;
    private final Executor executor;
    private final DtlsCryptoProvider cryptoProvider;
    private final TlsCrypto crypto;
    private final Certificate tlsCertificate;
    private final DtlsCounters counters;
    private final int handshakeTimeoutMs;
    private final int handshakeResendMs;
    private final int mtuBytes;
    private final int receiveLimitBytes;
    private final int inboundQueueCapacity;
    private final int outboundQueueCapacity;
    private final int[] srtpProfiles;

    /**
     * @param context the configuration; concluded here.
     */
    public DtlsEndpointFactory(final Context context)
    {
        context.conclude();
        this.certificate = context.certificate;
        this.executor = context.executor;
        this.cryptoProvider = context.cryptoProvider;
        this.crypto = cryptoProvider.create(context.random);
        this.counters = context.counters;
        this.handshakeTimeoutMs = (int)TimeUnit.NANOSECONDS.toMillis(context.handshakeTimeoutNs);
        this.handshakeResendMs = (int)TimeUnit.NANOSECONDS.toMillis(context.handshakeResendNs);
        this.mtuBytes = context.mtuBytes;
        this.receiveLimitBytes = context.receiveLimitBytes;
        this.inboundQueueCapacity = context.inboundQueueCapacity;
        this.outboundQueueCapacity = context.outboundQueueCapacity;
        this.srtpProfiles = context.srtpProfiles.clone();
        try
        {
            final TlsCertificate parsed = crypto.createCertificate(certificate.certificateDerShared());
            this.tlsCertificate = new Certificate(new TlsCertificate[]{ parsed });
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("certificate cannot be parsed by Bouncy Castle", ex);
        }
    }

    /**
     * A DTLS server endpoint ({@code a=setup:passive}): it starts its handshake on the first datagram.
     *
     * @param remoteFingerprint the {@code a=fingerprint} value of the client's offer, e.g. {@code sha-256 AB:CD:..}.
     * @return a new endpoint.
     * @throws IllegalArgumentException when the fingerprint does not parse.
     */
    public DtlsEndpoint newServer(final String remoteFingerprint)
    {
        return newEndpoint(DtlsRole.SERVER, DtlsFingerprint.parse(remoteFingerprint));
    }

    /**
     * A DTLS client endpoint ({@code a=setup:active}): call {@link DtlsEndpoint#start()} to send the ClientHello.
     *
     * @param remoteFingerprint the {@code a=fingerprint} value of the server's answer.
     * @return a new endpoint.
     * @throws IllegalArgumentException when the fingerprint does not parse.
     */
    public DtlsEndpoint newClient(final String remoteFingerprint)
    {
        return newEndpoint(DtlsRole.CLIENT, DtlsFingerprint.parse(remoteFingerprint));
    }

    /**
     * @param role              server or client.
     * @param remoteFingerprint the fingerprint the peer's certificate must match.
     * @return a new endpoint.
     */
    public DtlsEndpoint newEndpoint(final DtlsRole role, final DtlsFingerprint remoteFingerprint)
    {
        return new DtlsEndpoint(this, Objects.requireNonNull(role), Objects.requireNonNull(remoteFingerprint));
    }

    /**
     * @return the local certificate, whose {@link DtlsCertificate#sdpFingerprint()} goes into our SDP.
     */
    public DtlsCertificate certificate()
    {
        return certificate;
    }

    /**
     * @return the counters all endpoints of this factory update.
     */
    public DtlsCounters counters()
    {
        return counters;
    }

    /**
     * @return the crypto provider in use.
     */
    public DtlsCryptoProvider cryptoProvider()
    {
        return cryptoProvider;
    }

    Executor executor()
    {
        return executor;
    }

    TlsCrypto crypto()
    {
        return crypto;
    }

    Certificate tlsCertificate()
    {
        return tlsCertificate;
    }

    int handshakeTimeoutMs()
    {
        return handshakeTimeoutMs;
    }

    int handshakeResendMs()
    {
        return handshakeResendMs;
    }

    int mtuBytes()
    {
        return mtuBytes;
    }

    int receiveLimitBytes()
    {
        return receiveLimitBytes;
    }

    int inboundQueueCapacity()
    {
        return inboundQueueCapacity;
    }

    int outboundQueueCapacity()
    {
        return outboundQueueCapacity;
    }

    int[] srtpProfiles()
    {
        return srtpProfiles;
    }

    /**
     * The configuration of a factory, Aeron style: fluent setters, getters, and a single-use {@link #conclude()} that
     * validates. Defaults suit a transceiver talking to browsers.
     */
    public static final class Context
    {
        /** Default handshake timeout: a browser gives up well before, an attacker cannot hold a thread longer. */
        public static final long HANDSHAKE_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(10);
        /** Default first retransmission timeout (RFC 6347 4.2.4.1 suggests 1 s; doubled on each resend by BC). */
        public static final long HANDSHAKE_RESEND_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(500);
        /** Default largest datagram we send: under the ~1280-byte IPv6 minimum after IP, UDP and relay overhead. */
        public static final int MTU_DEFAULT_BYTES = 1200;
        /** Default largest datagram accepted: browsers send up to ~1408 bytes. */
        public static final int RECEIVE_LIMIT_DEFAULT_BYTES = 1500;
        /** Default inbound queue capacity (a ClientHello flight is 1-3 datagrams, a client's second flight ~5). */
        public static final int INBOUND_QUEUE_DEFAULT = 32;
        /** Default outbound queue capacity (a server flight is ~5 datagrams, retransmitted). */
        public static final int OUTBOUND_QUEUE_DEFAULT = 64;

        private boolean concluded;
        private DtlsCertificate certificate;
        private Executor executor;
        private DtlsCryptoProvider cryptoProvider = DtlsCryptoProvider.DEFAULT;
        private SecureRandom random;
        private DtlsCounters counters;
        private long handshakeTimeoutNs = HANDSHAKE_TIMEOUT_DEFAULT_NS;
        private long handshakeResendNs = HANDSHAKE_RESEND_DEFAULT_NS;
        private int mtuBytes = MTU_DEFAULT_BYTES;
        private int receiveLimitBytes = RECEIVE_LIMIT_DEFAULT_BYTES;
        private int inboundQueueCapacity = INBOUND_QUEUE_DEFAULT;
        private int outboundQueueCapacity = OUTBOUND_QUEUE_DEFAULT;
        private int[] srtpProfiles = { DtlsSrtpProfile.AES128_CM_HMAC_SHA1_80, DtlsSrtpProfile.AEAD_AES_128_GCM };

        /**
         * @param certificate the local certificate (required).
         * @return this.
         */
        public Context certificate(final DtlsCertificate certificate)
        {
            this.certificate = certificate;
            return this;
        }

        /**
         * @return the local certificate.
         */
        public DtlsCertificate certificate()
        {
            return certificate;
        }

        /**
         * @param executor where handshakes and record processing run (required); a {@link DtlsHandshakeExecutor}
         *                 or any executor that never runs tasks on the caller's thread.
         * @return this.
         */
        public Context executor(final Executor executor)
        {
            this.executor = executor;
            return this;
        }

        /**
         * @return the handshake executor.
         */
        public Executor executor()
        {
            return executor;
        }

        /**
         * @param cryptoProvider Bouncy Castle's or the JDK's primitives.
         * @return this.
         */
        public Context cryptoProvider(final DtlsCryptoProvider cryptoProvider)
        {
            this.cryptoProvider = cryptoProvider;
            return this;
        }

        /**
         * @return the crypto provider.
         */
        public DtlsCryptoProvider cryptoProvider()
        {
            return cryptoProvider;
        }

        /**
         * @param random the handshake randomness; default a new {@link SecureRandom}.
         * @return this.
         */
        public Context random(final SecureRandom random)
        {
            this.random = random;
            return this;
        }

        /**
         * @param counters where to count; default {@link DtlsCounters#inMemory()}.
         * @return this.
         */
        public Context counters(final DtlsCounters counters)
        {
            this.counters = counters;
            return this;
        }

        /**
         * @param handshakeTimeoutNs how long a handshake may take from its start, at millisecond resolution.
         * @return this.
         */
        public Context handshakeTimeoutNs(final long handshakeTimeoutNs)
        {
            this.handshakeTimeoutNs = handshakeTimeoutNs;
            return this;
        }

        /**
         * @return the handshake timeout.
         */
        public long handshakeTimeoutNs()
        {
            return handshakeTimeoutNs;
        }

        /**
         * @param handshakeResendNs the first retransmission timeout of a flight; Bouncy Castle doubles it per resend.
         * @return this.
         */
        public Context handshakeResendNs(final long handshakeResendNs)
        {
            this.handshakeResendNs = handshakeResendNs;
            return this;
        }

        /**
         * @param mtuBytes the largest datagram sent; larger handshake messages are fragmented.
         * @return this.
         */
        public Context mtuBytes(final int mtuBytes)
        {
            this.mtuBytes = mtuBytes;
            return this;
        }

        /**
         * @param receiveLimitBytes the largest datagram accepted.
         * @return this.
         */
        public Context receiveLimitBytes(final int receiveLimitBytes)
        {
            this.receiveLimitBytes = receiveLimitBytes;
            return this;
        }

        /**
         * @param inboundQueueCapacity datagrams queued per endpoint for Bouncy Castle (rounded up to a power of 2).
         * @return this.
         */
        public Context inboundQueueCapacity(final int inboundQueueCapacity)
        {
            this.inboundQueueCapacity = inboundQueueCapacity;
            return this;
        }

        /**
         * @param outboundQueueCapacity datagrams queued per endpoint for the media thread (rounded up to a power of 2).
         * @return this.
         */
        public Context outboundQueueCapacity(final int outboundQueueCapacity)
        {
            this.outboundQueueCapacity = outboundQueueCapacity;
            return this;
        }

        /**
         * @param srtpProfiles the {@link DtlsSrtpProfile} ids: a client offers them in this order; a server accepts
         *                     these and picks by the client's order.
         * @return this.
         */
        public Context srtpProfiles(final int... srtpProfiles)
        {
            this.srtpProfiles = srtpProfiles.clone();
            return this;
        }

        /**
         * @return the SRTP profiles.
         */
        public int[] srtpProfiles()
        {
            return srtpProfiles.clone();
        }

        /**
         * Validate and fill defaults; once only.
         *
         * @throws IllegalStateException when called twice.
         * @throws IllegalArgumentException naming the bad value.
         */
        public void conclude()
        {
            if (concluded)
            {
                throw new IllegalStateException("Context already concluded");
            }
            concluded = true;
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(executor, "executor");
            Objects.requireNonNull(cryptoProvider, "cryptoProvider");
            if (random == null)
            {
                random = new SecureRandom();
            }
            if (counters == null)
            {
                counters = DtlsCounters.inMemory();
            }
            if (handshakeTimeoutNs < TimeUnit.MILLISECONDS.toNanos(1) ||
                handshakeTimeoutNs > TimeUnit.MINUTES.toNanos(10))
            {
                throw new IllegalArgumentException("handshakeTimeoutNs out of range 1ms..10m: " + handshakeTimeoutNs);
            }
            if (handshakeResendNs < TimeUnit.MILLISECONDS.toNanos(1) ||
                handshakeResendNs > TimeUnit.SECONDS.toNanos(60))
            {
                throw new IllegalArgumentException("handshakeResendNs out of range 1ms..60s: " + handshakeResendNs);
            }
            if (mtuBytes < 64 || mtuBytes > 65_507)
            {
                throw new IllegalArgumentException("mtuBytes out of range 64..65507: " + mtuBytes);
            }
            if (receiveLimitBytes < 256 || receiveLimitBytes > 65_507)
            {
                throw new IllegalArgumentException("receiveLimitBytes out of range 256..65507: " + receiveLimitBytes);
            }
            if (inboundQueueCapacity < 2 || outboundQueueCapacity < 2)
            {
                throw new IllegalArgumentException("queue capacities must be at least 2");
            }
            if (srtpProfiles.length == 0)
            {
                throw new IllegalArgumentException("srtpProfiles is empty");
            }
            for (final int profile : srtpProfiles)
            {
                if (!DtlsSrtpProfile.isSupported(profile))
                {
                    throw new IllegalArgumentException("unsupported SRTP profile " + DtlsSrtpProfile.name(profile));
                }
            }
        }
    }
}
