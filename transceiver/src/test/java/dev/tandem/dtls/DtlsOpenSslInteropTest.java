package dev.tandem.dtls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real non-Java DTLS client against the Tandem server over loopback UDP: OpenSSL's {@code s_client} with a client
 * certificate, {@code use_srtp} and the RFC 5764 exporter, whose printed keying material must equal ours. Needs the
 * {@code openssl} command (scripts/install-test-deps installs it).
 */
@Tag("interop")
class DtlsOpenSslInteropTest
{
    private static final Pattern KEYING_MATERIAL = Pattern.compile("Keying material: ([0-9A-Fa-f]+)");
    private static final long WAIT_MS = 20_000;
    private static final Pattern SRTP_PROFILE = Pattern.compile("SRTP Extension negotiated, profile=(\\S+)");

    @ParameterizedTest
    @CsvSource({
        "SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM, 1",
        "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80, 7",
    })
    void openSslClientCompletesAndExportsTheSameSrtpKeys(
        final String offeredProfiles, final int expectedProfile, @TempDir final Path directory) throws Exception
    {
        final SecureRandom random = new SecureRandom();
        final DtlsCertificate clientCertificate = DtlsCertificate.generate(random);
        final Path clientPem = directory.resolve("client.pem");
        clientCertificate.save(clientPem);

        try (DtlsHandshakeExecutor executor = new DtlsHandshakeExecutor(2, 16, "dtls-interop");
            DatagramChannel channel = DatagramChannel.open())
        {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            channel.configureBlocking(false);
            final DtlsEndpointFactory factory = new DtlsEndpointFactory(new DtlsEndpointFactory.Context()
                .certificate(DtlsCertificate.generate(random))
                .executor(executor)
                .handshakeTimeoutNs(TimeUnit.SECONDS.toNanos(20)));
            final DtlsEndpoint server = factory.newServer(clientCertificate.sdpFingerprint());
            final int port = ((InetSocketAddress)channel.getLocalAddress()).getPort();
            final int exportLength = 2 * (16 + DtlsSrtpProfile.saltLengthBytes(expectedProfile));

            final Process openssl = new ProcessBuilder(List.of(
                "openssl", "s_client", "-dtls1_2",
                "-connect", "127.0.0.1:" + port,
                "-cert", clientPem.toString(), "-key", clientPem.toString(),
                "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256",
                "-use_srtp", offeredProfiles,
                "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", Integer.toString(exportLength)))
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("s_client.txt").toFile())
                .start();
            final DtlsLink.Recorder events = new DtlsLink.Recorder();
            try
            {
                pump(channel, server, null, events, () -> events.result != null || events.failure != null, WAIT_MS);
                assertNotNull(events.result, "handshake with OpenSSL: " + events.failure + " " + events.detail);

                // s_client reads stdin after the handshake: EOF makes it send close_notify and exit.
                openssl.getOutputStream().close();
                pump(channel, server, null, events, () -> events.closed > 0 || events.failure != null, WAIT_MS);
                assertTrue(openssl.waitFor(10, TimeUnit.SECONDS), "s_client exits");
            }
            finally
            {
                openssl.destroyForcibly();
            }
            final String output = Files.readString(directory.resolve("s_client.txt"), StandardCharsets.US_ASCII);

            assertEquals(1, events.closed, "close_notify from OpenSSL:\n" + output);
            final DtlsHandshakeResult result = events.result;
            assertEquals(expectedProfile, result.srtpProfileId());
            final Matcher profile = SRTP_PROFILE.matcher(output);
            assertTrue(profile.find(), output);
            assertEquals(expectedProfile == 1 ? "SRTP_AES128_CM_SHA1_80" : "SRTP_AEAD_AES_128_GCM", profile.group(1));
            final Matcher keying = KEYING_MATERIAL.matcher(output);
            assertTrue(keying.find(), output);
            final byte[] exported = hex(keying.group(1));
            final byte[] ours = concat(result.clientWriteKey(), result.serverWriteKey(),
                result.clientWriteSalt(), result.serverWriteSalt());
            assertArrayEquals(exported, ours, "RFC 5764 4.2 keying material equals OpenSSL's");
            assertTrue(output.toUpperCase(Locale.ROOT).contains("ECDHE-ECDSA-AES128-GCM-SHA256"), output);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "AES128_CM_HMAC_SHA1_80, SRTP_AES128_CM_SHA1_80",
        "AEAD_AES_128_GCM, SRTP_AEAD_AES_128_GCM",
    })
    void tandemClientCompletesAgainstOpenSslServer(
        final String profileField, final String openSslProfile, @TempDir final Path directory) throws Exception
    {
        final int profile = DtlsSrtpProfile.class.getField(profileField).getInt(null);
        final SecureRandom random = new SecureRandom();
        final DtlsCertificate serverCertificate = DtlsCertificate.generate(random);
        final Path serverPem = directory.resolve("server.pem");
        serverCertificate.save(serverPem);
        final int port;
        try (DatagramChannel probe = DatagramChannel.open())
        {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = ((InetSocketAddress)probe.getLocalAddress()).getPort();
        }
        final int exportLength = 2 * (16 + DtlsSrtpProfile.saltLengthBytes(profile));
        final Path output = directory.resolve("s_server.txt");
        final Process openssl = new ProcessBuilder(List.of(
            "openssl", "s_server", "-dtls1_2", "-naccept", "1",
            "-accept", "127.0.0.1:" + port,
            "-cert", serverPem.toString(), "-key", serverPem.toString(),
            "-Verify", "1",
            "-use_srtp", openSslProfile,
            "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", Integer.toString(exportLength)))
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
        try (DtlsHandshakeExecutor executor = new DtlsHandshakeExecutor(2, 16, "dtls-interop");
            DatagramChannel channel = DatagramChannel.open())
        {
            waitForListening(output);
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            channel.configureBlocking(false);
            final DtlsCertificate clientCertificate = DtlsCertificate.generate(random);
            final DtlsEndpointFactory factory = new DtlsEndpointFactory(new DtlsEndpointFactory.Context()
                .certificate(clientCertificate)
                .executor(executor)
                .srtpProfiles(profile)
                .handshakeTimeoutNs(TimeUnit.SECONDS.toNanos(20)));
            final DtlsEndpoint client = factory.newClient(serverCertificate.sdpFingerprint());
            final DtlsLink.Recorder events = new DtlsLink.Recorder();
            final SocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            client.start();
            pump(channel, client, server, events, () -> events.result != null || events.failure != null, WAIT_MS);
            assertNotNull(events.result, "handshake with OpenSSL: " + events.failure + " " + events.detail);

            client.close();
            pump(channel, client, server, events, () -> false, 300);
            assertTrue(openssl.waitFor(10, TimeUnit.SECONDS), "s_server exits after our close_notify");
            final String printed = Files.readString(output, StandardCharsets.US_ASCII);
            final Matcher keying = KEYING_MATERIAL.matcher(printed);
            assertTrue(keying.find(), printed);
            final DtlsHandshakeResult result = events.result;
            assertEquals(profile, result.srtpProfileId());
            assertArrayEquals(hex(keying.group(1)), concat(result.clientWriteKey(), result.serverWriteKey(),
                result.clientWriteSalt(), result.serverWriteSalt()));
            assertEquals(serverCertificate.fingerprintSha256(), result.remoteFingerprint());
        }
        finally
        {
            openssl.destroyForcibly();
        }
    }

    private static void waitForListening(final Path output) throws IOException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadlineNs)
        {
            if (Files.exists(output) && Files.readString(output, StandardCharsets.US_ASCII).contains("ACCEPT"))
            {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /**
     * Move datagrams between a UDP socket and an endpoint until done or the time is up; replies go to the last
     * sender, or to {@code remote} when given.
     */
    private static void pump(
        final DatagramChannel channel,
        final DtlsEndpoint server,
        final SocketAddress remote,
        final DtlsLink.Recorder events,
        final java.util.function.BooleanSupplier done,
        final long timeoutMs) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(2048);
        final SocketAddress[] peer = { remote };
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!done.getAsBoolean() && System.nanoTime() < deadlineNs)
        {
            int work = 0;
            buffer.clear();
            final SocketAddress from = channel.receive(buffer);
            if (from != null)
            {
                peer[0] = from;
                buffer.flip();
                server.onDatagram(buffer.array(), 0, buffer.limit());
                work++;
            }
            work += server.drainOutbound((data, offset, length) ->
            {
                try
                {
                    channel.send(ByteBuffer.wrap(data, offset, length), peer[0]);
                }
                catch (final IOException ex)
                {
                    throw new java.io.UncheckedIOException(ex);
                }
            }, 16);
            work += server.pollEvents(events, 4);
            if (work == 0)
            {
                LockSupport.parkNanos(200_000);
            }
        }
    }

    private static byte[] hex(final String text)
    {
        final byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    private static byte[] concat(final byte[]... parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        final byte[] out = new byte[length];
        int at = 0;
        for (final byte[] part : parts)
        {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
