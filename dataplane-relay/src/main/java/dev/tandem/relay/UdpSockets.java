package dev.tandem.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.ManualIoEventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.uring.IoUringChannelOption;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One worker's UDP sockets (one per listen address, each with {@code SO_REUSEPORT}) on a Netty transport, driven
 * from the worker's duty cycle through a {@link ManualIoEventLoop}: {@link #poll()} runs ready I/O without
 * blocking, {@link #await(long)} waits in the kernel (io_uring or epoll wait) for at most a timeout, so an
 * arriving datagram wakes the thread at once. Sends are written during the cycle and flushed once per cycle by
 * {@link #flush()}. Owned by one thread: the one that called {@link #open()}.
 */
final class UdpSockets implements AutoCloseable
{
    /** What the worker does with each received datagram. */
    @FunctionalInterface
    interface Receiver
    {
        /**
         * @param socketIndex which listen socket it arrived on.
         * @param sender      the client's address (Netty's object: kept by the flow to send back to it).
         * @param buffer      the datagram's bytes, valid during the call only.
         * @param offset      where they start.
         * @param length      how many.
         */
        void onDatagram(int socketIndex, InetSocketAddress sender, DirectBuffer buffer, int offset, int length);
    }

    /** Makes a worker's sockets once the worker (their receiver) exists. */
    @FunctionalInterface
    interface Factory
    {
        /**
         * @param receiver handles datagrams.
         * @return unopened sockets.
         */
        UdpSockets newSockets(Receiver receiver);
    }

    private static final int RECEIVE_BATCH = 32;
    private static final long OPEN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final TransportKind kind;
    private final List<InetSocketAddress> listenAddresses;
    private final int maxDatagramBytes;
    private final int socketBufferBytes;
    private final Receiver receiver;
    private final Channel[] channels;
    private final boolean[] dirty;
    private final UnsafeBuffer receiveView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer sendView = new UnsafeBuffer(0, 0);
    private ManualIoEventLoop loop;
    private int received;

    /**
     * @param kind              a resolved transport (not AUTO).
     * @param listenAddresses   one socket each.
     * @param maxDatagramBytes  biggest datagram accepted; receive buffers hold one byte more to detect oversize.
     * @param socketBufferBytes SO_RCVBUF and SO_SNDBUF, or 0 for the kernel's default.
     * @param receiver          handles datagrams.
     */
    UdpSockets(
        final TransportKind kind,
        final List<InetSocketAddress> listenAddresses,
        final int maxDatagramBytes,
        final int socketBufferBytes,
        final Receiver receiver)
    {
        if (kind == TransportKind.AUTO)
        {
            throw new IllegalArgumentException("resolve the transport first");
        }
        this.kind = kind;
        this.listenAddresses = List.copyOf(listenAddresses);
        this.maxDatagramBytes = maxDatagramBytes;
        this.socketBufferBytes = socketBufferBytes;
        this.receiver = receiver;
        channels = new Channel[listenAddresses.size()];
        dirty = new boolean[listenAddresses.size()];
    }

    /**
     * Bind every socket; the calling thread owns the sockets from now on (cold path).
     */
    void open()
    {
        loop = new ManualIoEventLoop(Thread.currentThread(), kind.newIoHandlerFactory());
        for (int i = 0; i < channels.length; i++)
        {
            final int socketIndex = i;
            final int slotBytes = maxDatagramBytes + 1;
            InetSocketAddress address = listenAddresses.get(i);
            if (address.getPort() == 0 && i > 0)
            {
                // One public port: the kernel's pick for the first socket serves the others too.
                address = new InetSocketAddress(address.getAddress(), localAddress(0).getPort());
            }
            final SocketProtocolFamily family = address.getAddress() instanceof Inet6Address ?
                SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
            final Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(() -> kind.newChannel(family))
                .handler(new ChannelInboundHandlerAdapter()
                {
                    @Override
                    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                    {
                        onRead(socketIndex, (DatagramPacket)msg);
                    }
                });
            // Enough room for bursts of egress between two flushes; past it send() reports back-pressure.
            bootstrap.option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024));
            if (socketBufferBytes > 0)
            {
                bootstrap.option(ChannelOption.SO_RCVBUF, socketBufferBytes)
                    .option(ChannelOption.SO_SNDBUF, socketBufferBytes);
            }
            switch (kind)
            {
                case EPOLL:
                    bootstrap.option(UnixChannelOption.SO_REUSEPORT, Boolean.TRUE);
                    // recvmmsg: a receive buffer of RECEIVE_BATCH slots is filled by one system call; GRO lets the
                    // kernel hand over coalesced segments that Netty splits by the payload size.
                    bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slotBytes)
                        .option(EpollChannelOption.UDP_GRO, Boolean.TRUE)
                        .option(ChannelOption.RECVBUF_ALLOCATOR, allocator(slotBytes * 8));
                    break;
                case IO_URING:
                    bootstrap.option(UnixChannelOption.SO_REUSEPORT, Boolean.TRUE);
                    // Netty 4.2.18 emulates recvmmsg on io_uring (a buffer of N slots becomes N recvmsg submissions,
                    // all but the first MSG_DONTWAIT), but with N > 1 paced floods here stalled for tens of
                    // milliseconds and dropped datagrams (docs/perf/relay-echo.md): one slot per submission.
                    bootstrap.option(IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slotBytes)
                        .option(ChannelOption.RECVBUF_ALLOCATOR, allocator(slotBytes));
                    break;
                default:
                    // Netty's NIO transport takes the JDK's socket option (UnixChannelOption is ignored there).
                    bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), Boolean.TRUE);
                    bootstrap.option(ChannelOption.RECVBUF_ALLOCATOR, allocator(slotBytes));
                    break;
            }
            final ChannelFuture future = bootstrap.bind(address);
            final long deadlineNs = System.nanoTime() + OPEN_TIMEOUT_NS;
            while (!future.isDone() && System.nanoTime() < deadlineNs)
            {
                loop.run(TimeUnit.MILLISECONDS.toNanos(1));
            }
            if (!future.isSuccess())
            {
                close();
                throw new IllegalStateException(
                    "cannot bind " + address + " with " + kind + ": " + future.cause(), future.cause());
            }
            channels[i] = future.channel();
        }
    }

    private static FixedRecvByteBufAllocator allocator(final int bufferBytes)
    {
        final FixedRecvByteBufAllocator allocator = new FixedRecvByteBufAllocator(bufferBytes);
        allocator.maxMessagesPerRead(RECEIVE_BATCH);
        return allocator;
    }

    /**
     * @param socketIndex a socket.
     * @return the address it is bound to (with the kernel's port when 0 was asked).
     */
    InetSocketAddress localAddress(final int socketIndex)
    {
        return (InetSocketAddress)channels[socketIndex].localAddress();
    }

    /**
     * @return the transport in use.
     */
    TransportKind kind()
    {
        return kind;
    }

    /**
     * Run ready I/O without blocking: received datagrams go to the receiver.
     *
     * @return datagrams received.
     */
    int poll()
    {
        received = 0;
        loop.runNow();
        return received;
    }

    /**
     * Wait in the kernel for I/O for at most {@code waitNs}, then run it.
     *
     * @param waitNs longest wait.
     * @return datagrams received.
     */
    int await(final long waitNs)
    {
        received = 0;
        loop.run(waitNs);
        return received;
    }

    private void onRead(final int socketIndex, final DatagramPacket packet)
    {
        final ByteBuf content = packet.content();
        try
        {
            final int length = content.readableBytes();
            if (content.hasMemoryAddress())
            {
                receiveView.wrap(content.memoryAddress() + content.readerIndex(), length);
            }
            else
            {
                receiveView.wrap(content.nioBuffer(content.readerIndex(), length));
            }
            received++;
            receiver.onDatagram(socketIndex, packet.sender(), receiveView, 0, length);
        }
        finally
        {
            packet.release();
        }
    }

    /**
     * Queue a datagram to a client; it leaves at the next {@link #flush()}.
     *
     * @param socketIndex the socket to send from.
     * @param recipient   the client.
     * @param buffer      bytes to send (copied).
     * @param offset      where they start.
     * @param length      how many.
     * @return false when the socket's outbound queue is full (back-pressure: the caller drops and counts).
     */
    boolean send(
        final int socketIndex,
        final InetSocketAddress recipient,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final Channel channel = channels[socketIndex];
        if (!channel.isWritable())
        {
            return false;
        }
        final ByteBuf out = channel.alloc().directBuffer(length);
        if (out.hasMemoryAddress())
        {
            sendView.wrap(out.memoryAddress() + out.writerIndex(), length);
            sendView.putBytes(0, buffer, offset, length);
            out.writerIndex(out.writerIndex() + length);
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                out.writeByte(buffer.getByte(offset + i));
            }
        }
        channel.write(new DatagramPacket(out, recipient), channel.voidPromise());
        dirty[socketIndex] = true;
        return true;
    }

    /**
     * Flush the datagrams queued since the last flush, one flush per socket.
     *
     * @return sockets flushed.
     */
    int flush()
    {
        int flushed = 0;
        for (int i = 0; i < channels.length; i++)
        {
            if (dirty[i])
            {
                dirty[i] = false;
                channels[i].flush();
                flushed++;
            }
        }
        return flushed;
    }

    @Override
    public void close()
    {
        if (loop == null)
        {
            return;
        }
        final ChannelFuture[] closing = new ChannelFuture[channels.length];
        for (int i = 0; i < channels.length; i++)
        {
            if (channels[i] != null)
            {
                closing[i] = channels[i].close();
            }
        }
        // Run the loop until every socket is closed before shutting it down: with io_uring the close is an
        // operation on the ring, and a ring torn down first left the socket open in the SO_REUSEPORT group, where
        // the kernel kept hashing clients to it instead of to a sibling relay.
        final long deadlineNs = System.nanoTime() + OPEN_TIMEOUT_NS;
        while (!allDone(closing) && System.nanoTime() < deadlineNs)
        {
            loop.run(TimeUnit.MILLISECONDS.toNanos(1));
        }
        loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        while (!loop.isTerminated() && System.nanoTime() < deadlineNs)
        {
            loop.run(TimeUnit.MILLISECONDS.toNanos(1));
        }
        loop = null;
    }

    private static boolean allDone(final ChannelFuture[] futures)
    {
        for (final ChannelFuture future : futures)
        {
            if (future != null && !future.isDone())
            {
                return false;
            }
        }
        return true;
    }
}
