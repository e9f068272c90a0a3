package dev.tandem.dtls;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.tandem.config.Config;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DtlsHandshakeExecutorTest
{
    private static final boolean VIRTUAL_THREADS_EXIST = Runtime.version().feature() >= 21;

    @Test
    void virtualModeUsesVirtualThreadsWhereTheJdkHasThem()
    {
        try (DtlsHandshakeExecutor executor = DtlsHandshakeExecutor.virtual(16, "dtls-virtual"))
        {
            assertEquals(VIRTUAL_THREADS_EXIST, executor.isVirtual());
        }
        final Config config = Config.parse(
            DtlsConfiguration.settings(), new String[]{ "--dtls.handshake.virtual", "true" }, Map.of());
        try (DtlsHandshakeExecutor executor = DtlsConfiguration.executor(config))
        {
            assertEquals(VIRTUAL_THREADS_EXIST, executor.isVirtual());
        }
    }

    @Test
    void rejectsTasksBeyondItsBound() throws InterruptedException
    {
        final CountDownLatch release = new CountDownLatch(1);
        try (DtlsHandshakeExecutor executor = DtlsHandshakeExecutor.virtual(2, "dtls-bound"))
        {
            // virtual: 2 in flight; platform fallback: THREADS_DEFAULT running + 2 queued
            final int accepted = executor.isVirtual() ? 2 : DtlsHandshakeExecutor.THREADS_DEFAULT + 2;
            for (int i = 0; i < accepted; i++)
            {
                executor.execute(() -> awaitQuietly(release));
            }
            final CountDownLatch never = new CountDownLatch(1);
            assertThrows(RejectedExecutionException.class, () -> executor.execute(never::countDown));
            release.countDown();
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (executor.queued() > 0 && System.nanoTime() < deadlineNs)
            {
                LockSupport.parkNanos(1_000_000);
            }
            final CountDownLatch ran = new CountDownLatch(1);
            executor.execute(ran::countDown);
            assertEquals(true, ran.await(5, TimeUnit.SECONDS), "accepts again once tasks finish");
        }
    }

    @Test
    void twentyConcurrentHandshakesCompleteOnVirtualThreads()
    {
        final SecureRandom random = new SecureRandom();
        final DtlsCertificate serverCertificate = DtlsCertificate.generate(random);
        final DtlsCertificate clientCertificate = DtlsCertificate.generate(random);
        try (DtlsHandshakeExecutor serverExecutor = DtlsHandshakeExecutor.virtual(64, "dtls-server");
            DtlsHandshakeExecutor clientExecutor = DtlsHandshakeExecutor.virtual(64, "dtls-client"))
        {
            final DtlsEndpointFactory servers = new DtlsEndpointFactory(
                new DtlsEndpointFactory.Context().certificate(serverCertificate).executor(serverExecutor));
            final DtlsEndpointFactory clients = new DtlsEndpointFactory(
                new DtlsEndpointFactory.Context().certificate(clientCertificate).executor(clientExecutor));
            final List<DtlsLink> links = new ArrayList<>();
            for (int i = 0; i < 20; i++)
            {
                final DtlsLink link = new DtlsLink(
                    clients.newClient(serverCertificate.sdpFingerprint()),
                    servers.newServer(clientCertificate.sdpFingerprint()));
                links.add(link);
                link.client.start();
            }
            final int connected = DtlsLink.connectAll(links, 30_000);
            assertEquals(20, connected);
            for (final DtlsLink link : links)
            {
                assertArrayEquals(link.clientEvents.result.serverWriteKey(), link.serverEvents.result.serverWriteKey());
            }
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
