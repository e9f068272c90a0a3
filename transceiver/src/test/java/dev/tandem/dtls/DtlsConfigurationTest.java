package dev.tandem.dtls;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.tandem.config.Config;
import dev.tandem.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DtlsConfigurationTest
{
    @Test
    void defaultsGiveABrowserReadyContext()
    {
        final Config config = Config.parse(DtlsConfiguration.settings(), new String[0], Map.of());
        final DtlsEndpointFactory.Context context =
            DtlsConfiguration.context(config, Runnable::run, new SecureRandom());

        assertEquals(DtlsCryptoProvider.DEFAULT, context.cryptoProvider());
        assertEquals(TimeUnit.SECONDS.toNanos(10), context.handshakeTimeoutNs());
        assertArrayEquals(new int[]{ 1, 7 }, context.srtpProfiles());
        context.conclude();
    }

    @Test
    void readsValuesAndKeepsTheCertificateFile(@TempDir final Path directory)
    {
        final Path pem = directory.resolve("dtls.pem");
        final String[] args = {
            "--dtls.certificate", pem.toString(), "--dtls.crypto", "jca", "--dtls.handshake.timeout", "3s",
            "--dtls.srtp.profiles", "SRTP_AEAD_AES_128_GCM" };
        final Config config = Config.parse(DtlsConfiguration.settings(), args, Map.of());
        final DtlsEndpointFactory.Context first = DtlsConfiguration.context(config, Runnable::run, new SecureRandom());
        final DtlsEndpointFactory.Context second = DtlsConfiguration.context(config, Runnable::run, new SecureRandom());

        assertEquals(DtlsCryptoProvider.JCA, first.cryptoProvider());
        assertEquals(TimeUnit.SECONDS.toNanos(3), first.handshakeTimeoutNs());
        assertArrayEquals(new int[]{ 7 }, first.srtpProfiles());
        assertEquals(first.certificate().fingerprintSha256(), second.certificate().fingerprintSha256());
    }

    @Test
    void badProfilesFailNamingTheSetting()
    {
        final Config config = Config.parse(
            DtlsConfiguration.settings(), new String[]{ "--dtls.srtp.profiles", "SRTP_NULL" }, Map.of());
        final ConfigException error = assertThrows(ConfigException.class,
            () -> DtlsConfiguration.context(config, Runnable::run, new SecureRandom()));
        assertTrue(error.getMessage().startsWith("dtls.srtp.profiles"), error.getMessage());
    }
}
