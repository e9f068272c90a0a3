package dev.tandem.relay;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;

/**
 * Which Netty transport carries the relay's UDP sockets. {@link #AUTO} picks io_uring, then epoll, then NIO, by
 * what the kernel and the container's seccomp profile allow.
 */
public enum TransportKind
{
    /** The best available: io_uring, else epoll, else NIO. */
    AUTO,
    /** Linux io_uring (kernel 5.x+, often blocked by container seccomp profiles). */
    IO_URING,
    /** Linux epoll with recvmmsg batches and UDP GRO. */
    EPOLL,
    /** JDK NIO: works everywhere, one datagram per system call. */
    NIO;

    /**
     * @return true when this transport can run here.
     */
    public boolean isAvailable()
    {
        switch (this)
        {
            case IO_URING:
                return IoUring.isAvailable();
            case EPOLL:
                return Epoll.isAvailable();
            case NIO:
            case AUTO:
                return true;
            default:
                return false;
        }
    }

    /**
     * @return why this transport cannot run here, or null when it can.
     */
    public String unavailabilityReason()
    {
        switch (this)
        {
            case IO_URING:
                return IoUring.isAvailable() ? null : String.valueOf(IoUring.unavailabilityCause());
            case EPOLL:
                return Epoll.isAvailable() ? null : String.valueOf(Epoll.unavailabilityCause());
            default:
                return null;
        }
    }

    /**
     * Resolve {@link #AUTO} to a concrete transport.
     *
     * @param why receives one line saying why the transport was chosen (for the start-up log).
     * @return the transport to use.
     * @throws IllegalStateException when an explicitly asked transport is unavailable.
     */
    public TransportKind resolve(final StringBuilder why)
    {
        if (this != AUTO)
        {
            if (!isAvailable())
            {
                throw new IllegalStateException(
                    "relay.transport=" + name().toLowerCase() + " is unavailable here: " + unavailabilityReason());
            }
            why.append("relay.transport=").append(name().toLowerCase()).append(" was configured");
            return this;
        }
        if (IO_URING.isAvailable())
        {
            why.append("auto: io_uring is available");
            return IO_URING;
        }
        why.append("auto: io_uring unavailable (").append(IO_URING.unavailabilityReason()).append(")");
        if (EPOLL.isAvailable())
        {
            why.append(", epoll is available");
            return EPOLL;
        }
        why.append(", epoll unavailable (").append(EPOLL.unavailabilityReason()).append("), using nio");
        return NIO;
    }

    IoHandlerFactory newIoHandlerFactory()
    {
        switch (this)
        {
            case IO_URING:
                // One thread submits and reaps (the worker's): lets the kernel skip cross-thread synchronisation.
                return IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setSingleIssuer(true));
            case EPOLL:
                return EpollIoHandler.newFactory();
            case NIO:
                return NioIoHandler.newFactory();
            default:
                throw new IllegalStateException("resolve AUTO first");
        }
    }

    /**
     * @param family the listen address's family: an IPv4 address gets an IPv4 socket, not a dual-stack one, so
     *               IPv4 clients arrive as {@code Inet4Address} and an IPv6 wildcard may share the port.
     * @return a new unbound channel.
     */
    DatagramChannel newChannel(final SocketProtocolFamily family)
    {
        switch (this)
        {
            case IO_URING:
                return new IoUringDatagramChannel(family);
            case EPOLL:
                return new EpollDatagramChannel(family);
            case NIO:
                return new NioDatagramChannel(family);
            default:
                throw new IllegalStateException("resolve AUTO first");
        }
    }
}
