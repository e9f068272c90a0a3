package dev.tandem.sdp;

import java.util.List;
import java.util.Locale;

/**
 * One m-line of an offer and the little we need about it to answer: every m-line gets an answer m-line in the same
 * order (RFC 3264 6), the chosen audio one accepted and the others rejected with port 0.
 */
public final class MediaSection
{
    private final int index;
    private final String kind;
    private final int port;
    private final String proto;
    private final List<String> formats;
    private final String mid;
    private final boolean bundleOnly;

    MediaSection(
        final int index,
        final String kind,
        final int port,
        final String proto,
        final List<String> formats,
        final String mid,
        final boolean bundleOnly)
    {
        this.index = index;
        this.kind = kind;
        this.port = port;
        this.proto = proto;
        this.formats = List.copyOf(formats);
        this.mid = mid;
        this.bundleOnly = bundleOnly;
    }

    /**
     * @return the 0-based position of the m-line in the offer.
     */
    public int index()
    {
        return index;
    }

    /**
     * @return the media type, e.g. {@code audio}, {@code video}, {@code application}.
     */
    public String kind()
    {
        return kind;
    }

    /**
     * @return the port of the m-line; 0 means disabled unless {@link #bundleOnly()} (RFC 8843 6).
     */
    public int port()
    {
        return port;
    }

    /**
     * @return the transport protocol, e.g. {@code UDP/TLS/RTP/SAVPF} or {@code UDP/DTLS/SCTP}.
     */
    public String proto()
    {
        return proto;
    }

    /**
     * @return the format list: payload types for RTP, e.g. {@code webrtc-datachannel} for SCTP.
     */
    public List<String> formats()
    {
        return formats;
    }

    /**
     * @return the a=mid value (RFC 5888 4), or null when the m-line has none.
     */
    public String mid()
    {
        return mid;
    }

    /**
     * @return true when the m-line carries a=bundle-only (RFC 8843 6).
     */
    public boolean bundleOnly()
    {
        return bundleOnly;
    }

    /**
     * @return true for an RTP m-line (audio or video).
     */
    public boolean isRtp()
    {
        return proto.toUpperCase(Locale.ROOT).contains("RTP/");
    }

    /**
     * @return true for a WebRTC data channel m-line (RFC 8841 4): {@code UDP/DTLS/SCTP webrtc-datachannel}, or the
     * older {@code DTLS/SCTP 5000} form some libraries still send.
     */
    public boolean isDataChannel()
    {
        return "application".equals(kind) && proto.toUpperCase(Locale.ROOT).contains("SCTP");
    }

    @Override
    public String toString()
    {
        return "m=" + kind + ' ' + port + ' ' + proto + ' ' + String.join(" ", formats) +
            (mid != null ? " (mid " + mid + ")" : "");
    }
}
