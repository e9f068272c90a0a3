package dev.tandem.common;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.ErrorHandler;

import java.io.File;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Starting an embedded Aeron media driver and connecting clients, with defaults that suit small hosts: SHARED
 * threading (one driver thread) and backoff idling, so a 2-core machine is not starved by spinning threads.
 */
public final class AeronSupport
{
    /** Where embedded drivers put their directories unless told otherwise. */
    public static final String SHM_ROOT = new File("/dev/shm").isDirectory() ?
        "/dev/shm" : System.getProperty("java.io.tmpdir");

    /**
     * Aeron MTU for IPC and UDP publications: large enough that a whole client datagram (browsers send up to about
     * 1,408 bytes; the relay accepts up to its configured maximum) plus Tandem's SBE header fits one frame, so
     * {@code tryClaim} can write it in place. Between hosts, frames above the network MTU are fragmented by IP.
     */
    public static final int MTU_LENGTH = 8 * 1024;

    private AeronSupport()
    {
    }

    /**
     * @param role what the directory is for, e.g. {@code relay} or {@code demo}.
     * @return a fresh, unique Aeron directory name for an embedded driver.
     */
    public static String uniqueDirectory(final String role)
    {
        return SHM_ROOT + File.separator + "tandem-" + role + "-" + ProcessHandle.current().pid() + "-" +
            Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFFL);
    }

    /**
     * Launch an embedded media driver that deletes its directory on start and on close.
     *
     * @param aeronDirectory the Aeron directory.
     * @param threadingMode  SHARED for small hosts, DEDICATED for tuned ones.
     * @param idleMode       how the driver's threads wait.
     * @param errorHandler   where driver errors go.
     * @return the running driver; close it to stop.
     */
    public static MediaDriver launchEmbeddedDriver(
        final String aeronDirectory,
        final ThreadingMode threadingMode,
        final IdleMode idleMode,
        final ErrorHandler errorHandler)
    {
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(aeronDirectory)
            .threadingMode(threadingMode)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .termBufferSparseFile(true)
            .ipcTermBufferLength(8 * 1024 * 1024)
            .ipcMtuLength(MTU_LENGTH)
            .mtuLength(MTU_LENGTH)
            .publicationTermBufferLength(8 * 1024 * 1024)
            .spiesSimulateConnection(true)
            .clientLivenessTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .publicationUnblockTimeoutNs(TimeUnit.SECONDS.toNanos(15))
            .errorHandler(errorHandler);
        if (threadingMode == ThreadingMode.SHARED)
        {
            context.sharedIdleStrategy(idleMode.newStrategy());
        }
        else
        {
            context.conductorIdleStrategy(IdleMode.BACKOFF.newStrategy(TimeUnit.MILLISECONDS.toNanos(1)))
                .senderIdleStrategy(idleMode.newStrategy())
                .receiverIdleStrategy(idleMode.newStrategy());
        }
        return MediaDriver.launch(context);
    }

    /**
     * Connect a client to the media driver in a directory.
     *
     * @param aeronDirectory the driver's directory.
     * @param errorHandler   where client errors go.
     * @param clientName     shown in the driver's counters.
     * @return the client; close it before the driver.
     */
    public static Aeron connect(final String aeronDirectory, final ErrorHandler errorHandler, final String clientName)
    {
        return Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(aeronDirectory)
            .clientName(clientName)
            .errorHandler(errorHandler)
            .driverTimeoutMs(TimeUnit.SECONDS.toMillis(10))
            .idleStrategy(IdleMode.BACKOFF.newStrategy(TimeUnit.MILLISECONDS.toNanos(1))));
    }

    /**
     * @param aeronDirectory a directory.
     * @return true when a media driver is alive in it.
     */
    public static boolean isDriverActive(final String aeronDirectory)
    {
        return CommonContext.isDriverActive(new File(aeronDirectory), TimeUnit.SECONDS.toMillis(10), (ignore) ->
        {
        });
    }
}
