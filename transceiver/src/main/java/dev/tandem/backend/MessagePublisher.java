package dev.tandem.backend;

import io.aeron.Publication;
import io.aeron.logbuffer.BufferClaim;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Claims space in a publication for one message, or drops and counts it: never blocks, never throws on
 * back-pressure (DESIGN: "back-pressure drops and counts"). An admin action (log rotation) is retried a few times
 * at once, since it clears within a call or two.
 */
final class MessagePublisher
{
    private static final int ADMIN_ACTION_RETRIES = 3;

    private final Publication publication;
    private final BackendCounters counters;
    private final BufferClaim bufferClaim = new BufferClaim();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(1024);

    MessagePublisher(final Publication publication, final BackendCounters counters)
    {
        this.publication = publication;
        this.counters = counters;
    }

    /**
     * @param length message length.
     * @return offset in {@link #claimBuffer()} to encode at, or -1 when dropped (counted).
     */
    int claim(final int length)
    {
        if (length > publication.maxPayloadLength())
        {
            counters.dropsTooLarge().incrementRelease();
            return -1;
        }
        for (int attempt = 0; ; attempt++)
        {
            final long result = publication.tryClaim(length, bufferClaim);
            if (result > 0)
            {
                return bufferClaim.offset();
            }
            if (result != Publication.ADMIN_ACTION || attempt >= ADMIN_ACTION_RETRIES)
            {
                countDrop(result);
                return -1;
            }
        }
    }

    MutableDirectBuffer claimBuffer()
    {
        return bufferClaim.buffer();
    }

    void commit(final AtomicCounter sent)
    {
        bufferClaim.commit();
        sent.incrementRelease();
    }

    /**
     * @return a buffer to encode a message that may exceed one frame, for {@link #offer(int, AtomicCounter)}.
     */
    MutableDirectBuffer scratch()
    {
        return scratch;
    }

    /**
     * Publish the first {@code length} bytes of {@link #scratch()}, fragmenting when needed (cold messages).
     */
    boolean offer(final int length, final AtomicCounter sent)
    {
        if (length > publication.maxMessageLength())
        {
            counters.dropsTooLarge().incrementRelease();
            return false;
        }
        for (int attempt = 0; ; attempt++)
        {
            final long result = publication.offer(scratch, 0, length);
            if (result > 0)
            {
                sent.incrementRelease();
                return true;
            }
            if (result != Publication.ADMIN_ACTION || attempt >= ADMIN_ACTION_RETRIES)
            {
                countDrop(result);
                return false;
            }
        }
    }

    private void countDrop(final long result)
    {
        if (result == Publication.NOT_CONNECTED)
        {
            counters.dropsNotConnected().incrementRelease();
        }
        else if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
        {
            counters.dropsClosed().incrementRelease();
        }
        else
        {
            counters.dropsBackPressured().incrementRelease();
        }
    }

    Publication publication()
    {
        return publication;
    }
}
