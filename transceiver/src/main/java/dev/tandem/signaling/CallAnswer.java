package dev.tandem.signaling;

import java.util.Objects;

/**
 * What {@link CallHandler#createCall} returns: the id of the new call (the last segment of its resource URL, used
 * by DELETE) and the SDP answer.
 *
 * @param callId 1-128 URL-safe characters: {@code A-Z a-z 0-9 - . _ ~} (RFC 3986 2.3 unreserved).
 * @param sdp    the answer, e.g. {@code SdpAnswer.sdp()}.
 */
public record CallAnswer(String callId, String sdp)
{
    /** Longest call id accepted. */
    public static final int MAX_CALL_ID_LENGTH = 128;

    /**
     * @param callId 1-128 URL-safe characters.
     * @param sdp    the answer.
     */
    public CallAnswer
    {
        if (!isValidCallId(callId))
        {
            throw new IllegalArgumentException("call id must be 1-" + MAX_CALL_ID_LENGTH +
                " characters of A-Z a-z 0-9 - . _ ~: " + callId);
        }
        Objects.requireNonNull(sdp, "sdp");
    }

    /**
     * @param callId a candidate id, e.g. the last path segment of a DELETE.
     * @return true when it has the shape of a call id, so it can go into a URL unescaped.
     */
    public static boolean isValidCallId(final String callId)
    {
        if (callId == null || callId.isEmpty() || callId.length() > MAX_CALL_ID_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < callId.length(); i++)
        {
            final char c = callId.charAt(i);
            final boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~';
            if (!unreserved)
            {
                return false;
            }
        }
        return !".".equals(callId) && !"..".equals(callId);
    }
}
