package dev.tandem.sdp;

/**
 * The a=setup attribute (RFC 8842 5, from RFC 4145): which side opens the DTLS association. We always answer
 * {@link #PASSIVE}, so we are the DTLS server and the browser the client.
 */
public enum DtlsSetup
{
    /** The offerer can be either; the answerer picks. */
    ACTPASS("actpass"),
    /** This side is the DTLS client. */
    ACTIVE("active"),
    /** This side is the DTLS server. */
    PASSIVE("passive"),
    /** No connection yet (not used by WebRTC). */
    HOLDCONN("holdconn");

    private final String attribute;

    DtlsSetup(final String attribute)
    {
        this.attribute = attribute;
    }

    /**
     * @return the attribute value, e.g. {@code actpass}.
     */
    public String attribute()
    {
        return attribute;
    }

    static DtlsSetup fromAttribute(final String value)
    {
        for (final DtlsSetup setup : values())
        {
            if (setup.attribute.equalsIgnoreCase(value))
            {
                return setup;
            }
        }
        return null;
    }
}
