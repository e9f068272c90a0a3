package dev.tandem.dtls;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A little network for tests: moves datagrams between a client and a server endpoint, acting as both media threads,
 * with a filter per direction to drop, capture or rewrite datagrams, and records every event.
 */
final class DtlsLink
{
    /**
     * Decides what happens to one datagram on its way.
     */
    @FunctionalInterface
    interface Filter
    {
        /**
         * @param datagram the bytes.
         * @param index    how many datagrams went this way before.
         * @return true to deliver it.
         */
        boolean deliver(byte[] datagram, int index);
    }

    final DtlsEndpoint client;
    final DtlsEndpoint server;
    final Recorder clientEvents = new Recorder();
    final Recorder serverEvents = new Recorder();
    final List<byte[]> clientSent = new ArrayList<>();
    final List<byte[]> serverSent = new ArrayList<>();
    Filter clientToServer = (datagram, index) -> true;
    Filter serverToClient = (datagram, index) -> true;

    DtlsLink(final DtlsEndpoint client, final DtlsEndpoint server)
    {
        this.client = client;
        this.server = server;
    }

    /**
     * One duty cycle of both media threads.
     *
     * @return work done.
     */
    int step()
    {
        int work = 0;
        work += forward(client, server, clientToServer, clientSent);
        work += forward(server, client, serverToClient, serverSent);
        work += client.pollEvents(clientEvents, 4);
        work += server.pollEvents(serverEvents, 4);
        return work;
    }

    private static int forward(
        final DtlsEndpoint from, final DtlsEndpoint to, final Filter filter, final List<byte[]> sent)
    {
        return from.drainOutbound((buffer, offset, length) ->
        {
            final byte[] datagram = java.util.Arrays.copyOfRange(buffer, offset, offset + length);
            if (filter.deliver(datagram, sent.size()))
            {
                to.onDatagram(datagram, 0, datagram.length);
            }
            sent.add(datagram);
        }, 16);
    }

    /**
     * Step until a condition holds, parking briefly when idle (the handshakes run on executor threads).
     *
     * @return true when the condition held before the timeout.
     */
    boolean runUntil(final BooleanSupplier condition, final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadlineNs)
        {
            final int work = step();
            if (condition.getAsBoolean())
            {
                return true;
            }
            if (work == 0)
            {
                LockSupport.parkNanos(200_000);
            }
        }
        return false;
    }

    /**
     * Step many links, as one media thread serving many sessions, until all are connected or the time is up.
     *
     * @return how many links have both sides connected.
     */
    static int connectAll(final List<DtlsLink> links, final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        int connected = 0;
        while (connected < links.size() && System.nanoTime() < deadlineNs)
        {
            int work = 0;
            connected = 0;
            for (final DtlsLink link : links)
            {
                work += link.step();
                connected += link.bothConnected() ? 1 : 0;
            }
            if (work == 0)
            {
                LockSupport.parkNanos(200_000);
            }
        }
        return connected;
    }

    boolean bothFailed()
    {
        return clientEvents.failure != null && serverEvents.failure != null;
    }

    boolean bothConnected()
    {
        return clientEvents.result != null && serverEvents.result != null;
    }

    /**
     * Records the events of one endpoint.
     */
    static final class Recorder implements DtlsEndpoint.EventHandler
    {
        volatile DtlsHandshakeResult result;
        volatile DtlsFailure failure;
        volatile String detail;
        volatile int closed;
        volatile int events;

        @Override
        public void onHandshakeComplete(final DtlsHandshakeResult result)
        {
            this.result = result;
            events++;
        }

        @Override
        public void onClosed()
        {
            closed++;
            events++;
        }

        @Override
        public void onFailed(final DtlsFailure reason, final String detail)
        {
            this.failure = reason;
            this.detail = detail;
            events++;
        }
    }
}
