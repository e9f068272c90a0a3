package dev.tandem.sdp;

/**
 * An offer that cannot be answered: a reason code for programs and counters, a message for people, and the line of
 * the offer at fault when there is one.
 */
public final class SdpException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final SdpRejectReason reason;
    private final int lineNumber;

    /**
     * @param reason     why the offer is rejected.
     * @param lineNumber the 1-based line of the offer at fault, or 0 when the fault is not one line.
     * @param message    what is wrong, for a person; the line number is prepended when there is one.
     */
    public SdpException(final SdpRejectReason reason, final int lineNumber, final String message)
    {
        super(lineNumber > 0 ? "line " + lineNumber + ": " + message : message, null, false, false);
        this.reason = reason;
        this.lineNumber = lineNumber;
    }

    /**
     * @return why the offer is rejected.
     */
    public SdpRejectReason reason()
    {
        return reason;
    }

    /**
     * @return the 1-based line of the offer at fault, or 0 when the fault is not one line.
     */
    public int lineNumber()
    {
        return lineNumber;
    }
}
