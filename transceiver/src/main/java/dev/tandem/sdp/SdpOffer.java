package dev.tandem.sdp;

import java.util.List;

/**
 * An offer from a browser or WebRTC library, reduced to what answering it and running the session need. Built only
 * by {@link SdpParser}, which has already checked that it can be answered: it has a usable audio m-line, a codec we
 * support, ICE credentials, a sha-256 fingerprint, a=setup we can answer passive, and rtcp-mux.
 * <p>
 * Values that can be given at session or media level are resolved for the audio m-line in the order RFC 8843 7.1.3
 * and RFC 8839 5.4 give: the audio m-line itself, then the m-line that tags its BUNDLE group (first mid), then the
 * session level.
 */
public final class SdpOffer
{
    private final List<MediaSection> mediaSections;
    private final int audioIndex;
    private final AudioCodec codec;
    private final String iceUfrag;
    private final String icePwd;
    private final boolean iceTrickle;
    private final List<Fingerprint> fingerprints;
    private final Fingerprint fingerprint;
    private final DtlsSetup setup;
    private final SdpDirection direction;
    private final List<String> bundleMids;
    private final long remoteSsrc;
    private final String remoteCname;
    private final int lengthBytes;

    SdpOffer(
        final List<MediaSection> mediaSections,
        final int audioIndex,
        final AudioCodec codec,
        final String iceUfrag,
        final String icePwd,
        final boolean iceTrickle,
        final List<Fingerprint> fingerprints,
        final Fingerprint fingerprint,
        final DtlsSetup setup,
        final SdpDirection direction,
        final List<String> bundleMids,
        final long remoteSsrc,
        final String remoteCname,
        final int lengthBytes)
    {
        this.mediaSections = List.copyOf(mediaSections);
        this.audioIndex = audioIndex;
        this.codec = codec;
        this.iceUfrag = iceUfrag;
        this.icePwd = icePwd;
        this.iceTrickle = iceTrickle;
        this.fingerprints = List.copyOf(fingerprints);
        this.fingerprint = fingerprint;
        this.setup = setup;
        this.direction = direction;
        this.bundleMids = List.copyOf(bundleMids);
        this.remoteSsrc = remoteSsrc;
        this.remoteCname = remoteCname;
        this.lengthBytes = lengthBytes;
    }

    /**
     * @return every m-line of the offer, in order; the answer has one m-line for each.
     */
    public List<MediaSection> mediaSections()
    {
        return mediaSections;
    }

    /**
     * @return the audio m-line we answer: the first audio m-line that is enabled (or bundle-only) and DTLS-SRTP.
     */
    public MediaSection audio()
    {
        return mediaSections.get(audioIndex);
    }

    /**
     * @return the codec chosen for the audio m-line: Opus if offered, else PCMU, else PCMA.
     */
    public AudioCodec codec()
    {
        return codec;
    }

    /**
     * @return the client's ICE username fragment: the second half of the USERNAME of its STUN checks.
     */
    public String iceUfrag()
    {
        return iceUfrag;
    }

    /**
     * @return the client's ICE password. Checks sent to us and our responses are both keyed with our own password
     * (RFC 8445 7.2.2), and an ICE-lite agent sends no checks, so this one is only kept for completeness.
     */
    public String icePwd()
    {
        return icePwd;
    }

    /**
     * @return true when the offerer said {@code a=ice-options:trickle}; harmless for us, since an ICE-lite answer
     * carries all its candidates (RFC 8838 4).
     */
    public boolean iceTrickle()
    {
        return iceTrickle;
    }

    /**
     * @return every fingerprint that applies to the audio m-line, whatever its hash function.
     */
    public List<Fingerprint> fingerprints()
    {
        return fingerprints;
    }

    /**
     * @return the first sha-256 fingerprint: the DTLS client's certificate must match it (RFC 8842 5).
     */
    public Fingerprint fingerprint()
    {
        return fingerprint;
    }

    /**
     * @return the offered a=setup: {@link DtlsSetup#ACTPASS} or {@link DtlsSetup#ACTIVE}; a missing attribute reads
     * as active (RFC 4145 4.1).
     */
    public DtlsSetup setup()
    {
        return setup;
    }

    /**
     * @return the direction of the audio m-line as offered (sendrecv when absent, RFC 8866 6.7).
     */
    public SdpDirection direction()
    {
        return direction;
    }

    /**
     * @return the mids of the BUNDLE group that contains the audio m-line, in offer order, or empty.
     */
    public List<String> bundleMids()
    {
        return bundleMids;
    }

    /**
     * @return the client's audio SSRC from its first a=ssrc line (an unsigned 32-bit value), or -1 when it gave
     * none (then learn it from the first RTP packet).
     */
    public long remoteSsrc()
    {
        return remoteSsrc;
    }

    /**
     * @return the CNAME given with the client's SSRC, or null.
     */
    public String remoteCname()
    {
        return remoteCname;
    }

    /**
     * @return the length of the offer text.
     */
    public int lengthBytes()
    {
        return lengthBytes;
    }

    @Override
    public String toString()
    {
        return "SdpOffer{audio=" + audio() + ", codec=" + codec + ", ufrag=" + iceUfrag + ", setup=" +
            setup.attribute() + ", direction=" + direction.attribute() + ", bundle=" + bundleMids +
            ", m-lines=" + mediaSections.size() + '}';
    }
}
