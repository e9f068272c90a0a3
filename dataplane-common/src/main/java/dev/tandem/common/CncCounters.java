package dev.tandem.common;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Read-only view of the counters in a media driver's {@code cnc.dat}, without connecting as a client: what
 * {@code bin/tandem stat} uses to watch a running relay or transceiver from outside.
 */
public final class CncCounters implements AutoCloseable
{
    private final File directory;
    private final MappedByteBuffer cncByteBuffer;
    private final CountersReader reader;
    private final long pid;

    private CncCounters(final File directory, final MappedByteBuffer cncByteBuffer)
    {
        this.directory = directory;
        this.cncByteBuffer = cncByteBuffer;
        final UnsafeBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cncByteBuffer);
        final int version = metaData.getInt(CncFileDescriptor.cncVersionOffset(0));
        CncFileDescriptor.checkVersion(version);
        this.pid = CncFileDescriptor.pid(metaData);
        this.reader = new CountersReader(
            CncFileDescriptor.createCountersMetaDataBuffer(cncByteBuffer, metaData),
            CncFileDescriptor.createCountersValuesBuffer(cncByteBuffer, metaData));
    }

    /**
     * @param aeronDirectory a media driver's directory.
     * @return a view of its counters.
     * @throws IllegalStateException when there is no readable {@code cnc.dat} in it.
     */
    public static CncCounters open(final String aeronDirectory)
    {
        final File cncFile = new File(aeronDirectory, CncFileDescriptor.CNC_FILE);
        if (!cncFile.isFile())
        {
            throw new IllegalStateException("no media driver in " + aeronDirectory + " (no " + cncFile + ")");
        }
        final MappedByteBuffer buffer = IoUtil.mapExistingFile(cncFile, "cnc");
        try
        {
            return new CncCounters(new File(aeronDirectory), buffer);
        }
        catch (final RuntimeException ex)
        {
            IoUtil.unmap(buffer);
            throw ex;
        }
    }

    /**
     * @return Aeron directories under {@link AeronSupport#SHM_ROOT} (Tandem's and Aeron's defaults) whose driver
     *     is alive.
     */
    public static List<String> activeDirectories()
    {
        final List<String> found = new ArrayList<>();
        final File[] candidates = new File(AeronSupport.SHM_ROOT).listFiles((dir, name) ->
            name.startsWith("tandem") || name.startsWith("aeron"));
        if (candidates != null)
        {
            for (final File candidate : candidates)
            {
                if (new File(candidate, CncFileDescriptor.CNC_FILE).isFile() &&
                    AeronSupport.isDriverActive(candidate.getPath()))
                {
                    found.add(candidate.getPath());
                }
            }
        }
        found.sort(String::compareTo);
        return found;
    }

    /**
     * @return the default Aeron directory of this user, as Aeron names it.
     */
    public static String defaultAeronDirectory()
    {
        return CommonContext.getAeronDirectoryName();
    }

    /**
     * @return the counters.
     */
    public CountersReader reader()
    {
        return reader;
    }

    /**
     * @return the driver's directory.
     */
    public File directory()
    {
        return directory;
    }

    /**
     * @return the process id of the media driver.
     */
    public long pid()
    {
        return pid;
    }

    @Override
    public void close()
    {
        IoUtil.unmap(cncByteBuffer);
    }
}
