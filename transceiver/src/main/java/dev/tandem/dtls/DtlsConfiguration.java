package dev.tandem.dtls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.Executor;

import dev.tandem.config.Config;
import dev.tandem.config.ConfigException;
import dev.tandem.config.Setting;
import dev.tandem.config.Settings;

/**
 * The DTLS settings a command registers ({@code bin/tandem transceiver --help} lists them), and how they become a
 * {@link DtlsHandshakeExecutor} and a {@link DtlsEndpointFactory.Context}.
 */
public final class DtlsConfiguration
{
    /** PEM file holding the certificate and key; created on first start, so the fingerprint survives restarts. */
    public static final Setting<Path> CERTIFICATE = Settings.path(
        "dtls.certificate", null, null,
        "PEM file with the DTLS certificate and key; generated and saved there when missing (default: a new " +
        "certificate each start)");
    /** Which primitives run handshakes. */
    public static final Setting<DtlsCryptoProvider> CRYPTO = Settings.enumeration(
        "dtls.crypto", null, DtlsCryptoProvider.DEFAULT.name().toLowerCase(java.util.Locale.ROOT),
        DtlsCryptoProvider.class,
        "DTLS handshake crypto: bc (Bouncy Castle; faster on JDK 17 and 25, docs/perf/dtls.md) or jca (the JDK's)");
    /** Handshake threads. */
    public static final Setting<Integer> HANDSHAKE_THREADS = Settings.integer(
        "dtls.handshake.threads", null, Integer.toString(DtlsHandshakeExecutor.THREADS_DEFAULT), 1, 1024,
        "threads running DTLS handshakes (each holds one for a round trip plus ~0.5 ms CPU)");
    /** Handshakes waiting for a thread. */
    public static final Setting<Integer> HANDSHAKE_QUEUE = Settings.integer(
        "dtls.handshake.queue", null, Integer.toString(DtlsHandshakeExecutor.QUEUE_DEFAULT), 1, 1 << 20,
        "DTLS handshakes that may wait for a thread (with virtual threads: be in flight) before new ones are " +
        "rejected");
    /** Virtual threads for handshakes. */
    public static final Setting<Boolean> HANDSHAKE_VIRTUAL = Settings.bool(
        "dtls.handshake.virtual", null, "false",
        "run DTLS handshakes on virtual threads (JDK 21+): round trips hold no thread, dtls.handshake.threads is " +
        "ignored");
    /** Handshake timeout. */
    public static final Setting<Long> HANDSHAKE_TIMEOUT = Settings.durationNs(
        "dtls.handshake.timeout", null, "10s", "time a DTLS handshake may take from its first datagram");
    /** First retransmission timeout. */
    public static final Setting<Long> HANDSHAKE_RESEND = Settings.durationNs(
        "dtls.handshake.resend", null, "500ms", "first DTLS flight retransmission timeout, doubled on each resend");
    /** Largest datagram sent. */
    public static final Setting<Integer> MTU = Settings.integer(
        "dtls.mtu", null, Integer.toString(DtlsEndpointFactory.Context.MTU_DEFAULT_BYTES), 256, 65_507,
        "largest DTLS datagram sent, in bytes; larger handshake messages are fragmented");
    /** SRTP profiles in preference order. */
    public static final Setting<String> SRTP_PROFILES = Settings.string(
        "dtls.srtp.profiles", null, "SRTP_AES128_CM_HMAC_SHA1_80,SRTP_AEAD_AES_128_GCM",
        "SRTP protection profiles accepted (a server picks by the client's order; a client offers in this order)");

    private DtlsConfiguration()
    {
    }

    /**
     * @return every DTLS setting, for a command's setting list.
     */
    public static List<Setting<?>> settings()
    {
        return List.of(
            CERTIFICATE, CRYPTO, HANDSHAKE_THREADS, HANDSHAKE_QUEUE, HANDSHAKE_VIRTUAL, HANDSHAKE_TIMEOUT,
            HANDSHAKE_RESEND, MTU, SRTP_PROFILES);
    }

    /**
     * @param config a configuration with {@link #settings()} registered.
     * @return a new handshake executor; close it on shutdown.
     */
    public static DtlsHandshakeExecutor executor(final Config config)
    {
        return config.get(HANDSHAKE_VIRTUAL) ?
            DtlsHandshakeExecutor.virtual(config.get(HANDSHAKE_QUEUE), "dtls") :
            new DtlsHandshakeExecutor(config.get(HANDSHAKE_THREADS), config.get(HANDSHAKE_QUEUE), "dtls");
    }

    /**
     * Build a factory context from the settings: loads (or creates) the certificate file when one is named.
     *
     * @param config   a configuration with {@link #settings()} registered.
     * @param executor the handshake executor.
     * @param random   randomness for the certificate and the handshakes.
     * @return a context to complete (counters) and pass to {@link DtlsEndpointFactory}.
     * @throws ConfigException naming the setting when a value is unusable.
     */
    public static DtlsEndpointFactory.Context context(
        final Config config, final Executor executor, final SecureRandom random)
    {
        final Path certificatePath = config.getOrNull(CERTIFICATE);
        final DtlsCertificate certificate;
        try
        {
            certificate = certificatePath == null ?
                DtlsCertificate.generate(random) : DtlsCertificate.loadOrGenerate(certificatePath, random);
        }
        catch (final IOException ex)
        {
            throw new ConfigException(CERTIFICATE.name() + ": " + ex.getMessage());
        }
        final int[] profiles;
        try
        {
            profiles = DtlsSrtpProfile.parseList(config.get(SRTP_PROFILES));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(SRTP_PROFILES.name() + ": " + ex.getMessage());
        }
        return new DtlsEndpointFactory.Context()
            .certificate(certificate)
            .executor(executor)
            .random(random)
            .cryptoProvider(config.get(CRYPTO))
            .handshakeTimeoutNs(config.get(HANDSHAKE_TIMEOUT))
            .handshakeResendNs(config.get(HANDSHAKE_RESEND))
            .mtuBytes(config.get(MTU))
            .srtpProfiles(profiles);
    }
}
