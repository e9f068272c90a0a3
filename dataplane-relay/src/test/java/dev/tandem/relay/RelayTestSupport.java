package dev.tandem.relay;

import dev.tandem.crypto.HmacSha1;
import dev.tandem.sbe.AddressFamily;
import dev.tandem.sbe.EgressEncoder;
import dev.tandem.sbe.IngressDecoder;
import dev.tandem.sbe.MessageHeaderDecoder;
import dev.tandem.sbe.MessageHeaderEncoder;
import dev.tandem.sbe.PacketKind;
import dev.tandem.stun.StunMessageEncoder;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What relay tests share (here and, through the relay's test-jar, in other modules): a test subscriber's view of
 * Ingress messages, Egress encoding, STUN requests as browsers send them, UDP clients, and bounded waits.
 */
public final class RelayTestSupport
{
    /** Longest wait of any helper. */
    public static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(20);

    private RelayTestSupport()
    {
    }

    /**
     * An Ingress message as a transceiver sees it.
     */
    public static final class Ingress
    {
        /** Relay clock at receive. */
        public long receiveTimeNs;
        /** Client address, upper half. */
        public long high;
        /** Client address, lower half. */
        public long low;
        /** Client port. */
        public int port;
        /** Address family. */
        public AddressFamily family;
        /** First-byte class. */
        public PacketKind kind;
        /** Relay that forwarded it. */
        public int relayId;
        /** Worker that forwarded it. */
        public int workerId;
        /** The datagram. */
        public byte[] payload;
    }

    /**
     * @param subscription a transceiver stand-in's subscription.
     * @param timeoutNs    longest wait.
     * @return the next Ingress, or null after the timeout.
     */
    public static Ingress poll(final Subscription subscription, final long timeoutNs)
    {
        final Ingress[] result = new Ingress[1];
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (result[0] == null && System.nanoTime() < deadlineNs)
        {
            final int fragments = subscription.poll((buffer, offset, length, header) ->
            {
                final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder().wrap(buffer, offset);
                assertEquals(IngressDecoder.TEMPLATE_ID, headerDecoder.templateId());
                final IngressDecoder decoder = new IngressDecoder().wrap(buffer,
                    offset + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
                final Ingress ingress = new Ingress();
                ingress.receiveTimeNs = decoder.receiveTimeNs();
                ingress.high = decoder.addressHigh();
                ingress.low = decoder.addressLow();
                ingress.port = decoder.port();
                ingress.family = decoder.family();
                ingress.kind = decoder.kind();
                ingress.relayId = decoder.relayId();
                ingress.workerId = decoder.workerId();
                ingress.payload = new byte[decoder.payloadLength()];
                decoder.getPayload(ingress.payload, 0, ingress.payload.length);
                assertEquals(offset + length, decoder.limit(), "the message ends with the payload");
                result[0] = ingress;
            }, 1);
            if (fragments == 0)
            {
                Thread.onSpinWait();
                sleepMs(1);
            }
        }
        return result[0];
    }

    /**
     * @param subscription a transceiver stand-in's subscription.
     * @return the next Ingress (fails the test after {@link #DEADLINE_NS}).
     */
    public static Ingress receive(final Subscription subscription)
    {
        final Ingress ingress = poll(subscription, DEADLINE_NS);
        assertNotNull(ingress, "an Ingress message should arrive");
        return ingress;
    }

    /**
     * @param message where to encode.
     * @param ingress whose client the Egress goes to.
     * @param payload the datagram.
     * @return the message's length.
     */
    public static int encodeEgress(final UnsafeBuffer message, final Ingress ingress, final byte[] payload)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + new EgressEncoder()
            .wrapAndApplyHeader(message, 0, new MessageHeaderEncoder())
            .addressHigh(ingress.high).addressLow(ingress.low).port(ingress.port).family(ingress.family)
            .putPayload(payload, 0, payload.length)
            .encodedLength();
    }

    /**
     * @param publication a return stream.
     * @param buffer      the message.
     * @param length      its length.
     */
    public static void offer(final ExclusivePublication publication, final UnsafeBuffer buffer, final int length)
    {
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        while (publication.offer(buffer, 0, length) < 0)
        {
            assertTrue(System.nanoTime() < deadlineNs, "offer to the return stream");
            sleepMs(1);
        }
    }

    /**
     * @param condition what to wait for (checked every millisecond).
     * @param what      for the failure message after {@link #DEADLINE_NS}.
     */
    public static void await(final BooleanSupplier condition, final String what)
    {
        await(condition, what, DEADLINE_NS);
    }

    /**
     * @param condition what to wait for (checked every millisecond).
     * @param what      for the failure message.
     * @param timeoutNs longest wait.
     */
    public static void await(final BooleanSupplier condition, final String what, final long timeoutNs)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadlineNs)
            {
                fail("timed out waiting: " + what);
            }
            sleepMs(1);
        }
    }

    /**
     * @param ms how long to sleep.
     */
    public static void sleepMs(final long ms)
    {
        try
        {
            TimeUnit.MILLISECONDS.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @return a UDP client on loopback with a 100 ms receive timeout.
     * @throws IOException when no socket can be bound.
     */
    public static DatagramSocket newClient() throws IOException
    {
        final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(100);
        return socket;
    }

    /**
     * @param client a client.
     * @param relay  the relay (its first listen address).
     * @param bytes  the datagram.
     * @throws IOException when it cannot be sent.
     */
    public static void send(final DatagramSocket client, final Relay relay, final byte[] bytes) throws IOException
    {
        send(client, relay.localAddress(0), bytes);
    }

    /**
     * @param client  a client.
     * @param address where to.
     * @param bytes   the datagram.
     * @throws IOException when it cannot be sent.
     */
    public static void send(final DatagramSocket client, final InetSocketAddress address, final byte[] bytes)
        throws IOException
    {
        client.send(new DatagramPacket(bytes, bytes.length, address));
    }

    /**
     * @param client a client.
     * @param packet receives the next datagram (fails the test after {@link #DEADLINE_NS}).
     * @throws IOException on a socket error.
     */
    public static void receiveDatagram(final DatagramSocket client, final DatagramPacket packet) throws IOException
    {
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        while (true)
        {
            try
            {
                client.receive(packet);
                return;
            }
            catch (final SocketTimeoutException ex)
            {
                assertFalse(System.nanoTime() > deadlineNs, "a datagram should reach the client");
            }
        }
    }

    /**
     * @param firstByte the RFC 7983 class byte.
     * @param length    length.
     * @return random bytes after it.
     */
    public static byte[] packet(final int firstByte, final int length)
    {
        final byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        bytes[0] = (byte)firstByte;
        return bytes;
    }

    /**
     * @return a STUN Binding Indication (RFC 8489 5): no attributes at all.
     */
    public static byte[] bindingIndication()
    {
        final ByteBuffer out = ByteBuffer.allocate(20).order(ByteOrder.BIG_ENDIAN);
        out.putShort((short)0x0011).putShort((short)0).putInt(0x2112A442);
        final byte[] transactionId = new byte[12];
        ThreadLocalRandom.current().nextBytes(transactionId);
        out.put(transactionId);
        return out.array();
    }

    /**
     * A STUN Binding Request as a browser sends it (RFC 8445 7.1.1): USERNAME, PRIORITY, ICE-CONTROLLING,
     * USE-CANDIDATE, MESSAGE-INTEGRITY and FINGERPRINT, made with the common STUN encoder. The relay checks none of
     * the integrity: that is the transceiver's job.
     *
     * @param username {@code <server ufrag>:<client ufrag>}.
     * @return the request.
     */
    public static byte[] bindingRequest(final String username)
    {
        final byte[] user = username.getBytes(StandardCharsets.UTF_8);
        final byte[] transactionId = new byte[12];
        ThreadLocalRandom.current().nextBytes(transactionId);
        final byte[] password = "0123456789abcdefghij01".getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[512]);
        final int length = new StunMessageEncoder().bindingRequest(out, 0, new UnsafeBuffer(transactionId), 0,
            new UnsafeBuffer(user), 0, user.length, 0x6E7F00FFL, true, 42L, true,
            new HmacSha1().init(password, 0, password.length));
        return Arrays.copyOf(out.byteArray(), length);
    }
}
