package dev.tandem.sdp;

/**
 * The direction attribute of an m-line (RFC 8866 6.7). The offer states what the offerer does; the answer states
 * what we do, which is the mirror image (RFC 3264 6.1).
 */
public enum SdpDirection
{
    /** Both ways. */
    SENDRECV("sendrecv"),
    /** The side that wrote it only sends. */
    SENDONLY("sendonly"),
    /** The side that wrote it only receives. */
    RECVONLY("recvonly"),
    /** Neither way. */
    INACTIVE("inactive");

    private final String attribute;

    SdpDirection(final String attribute)
    {
        this.attribute = attribute;
    }

    /**
     * @return the attribute name, e.g. {@code sendrecv}.
     */
    public String attribute()
    {
        return attribute;
    }

    /**
     * @return the direction an answerer willing to send and receive uses for an offer in this direction.
     */
    public SdpDirection answer()
    {
        // RFC 3264 6.1: sendonly -> recvonly, recvonly -> sendonly, sendrecv -> sendrecv, inactive -> inactive.
        switch (this)
        {
            case SENDONLY:
                return RECVONLY;
            case RECVONLY:
                return SENDONLY;
            default:
                return this;
        }
    }

    /**
     * @return true when the side that wrote this direction sends media.
     */
    public boolean sends()
    {
        return this == SENDRECV || this == SENDONLY;
    }

    /**
     * @return true when the side that wrote this direction receives media.
     */
    public boolean receives()
    {
        return this == SENDRECV || this == RECVONLY;
    }

    static SdpDirection fromAttribute(final String name)
    {
        for (final SdpDirection direction : values())
        {
            if (direction.attribute.equals(name))
            {
                return direction;
            }
        }
        return null;
    }
}
