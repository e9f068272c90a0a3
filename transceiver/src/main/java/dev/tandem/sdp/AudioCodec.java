package dev.tandem.sdp;

/**
 * The audio codec chosen from an offer: which encoding, and the payload type the offerer gave it. We keep the
 * offer's payload type in the answer (RFC 3264 6.1 allows either; echoing it is what browsers expect), so RTP in
 * both directions uses this number.
 */
public final class AudioCodec
{
    /**
     * The encodings we can terminate, in order of preference.
     */
    public enum Encoding
    {
        /** Opus, RFC 7587: always written opus/48000/2 in SDP, whatever is actually sent. */
        OPUS("opus", 48_000, 2, -1),
        /** G.711 mu-law, static payload type 0 (RFC 3551 6). */
        PCMU("PCMU", 8_000, 1, 0),
        /** G.711 A-law, static payload type 8 (RFC 3551 6). */
        PCMA("PCMA", 8_000, 1, 8);

        private final String rtpmapName;
        private final int clockRateHz;
        private final int channels;
        private final int staticPayloadType;

        Encoding(final String rtpmapName, final int clockRateHz, final int channels, final int staticPayloadType)
        {
            this.rtpmapName = rtpmapName;
            this.clockRateHz = clockRateHz;
            this.channels = channels;
            this.staticPayloadType = staticPayloadType;
        }

        /**
         * @return the encoding name as written in a=rtpmap, e.g. {@code opus}.
         */
        public String rtpmapName()
        {
            return rtpmapName;
        }

        /**
         * @return the RTP clock rate.
         */
        public int clockRateHz()
        {
            return clockRateHz;
        }

        /**
         * @return the channel count written in a=rtpmap (2 for Opus by RFC 7587 7, 1 for G.711).
         */
        public int channels()
        {
            return channels;
        }

        /**
         * @return the static payload type (RFC 3551 6), or -1 when the encoding needs a dynamic one.
         */
        public int staticPayloadType()
        {
            return staticPayloadType;
        }

        boolean matches(final String name, final int clockRateHz, final int channels)
        {
            // RFC 4855 3: encoding names are case-insensitive. A missing channel count means 1 (RFC 8866 6.6).
            return rtpmapName.equalsIgnoreCase(name) && this.clockRateHz == clockRateHz &&
                (this.channels == channels || (channels <= 0 && this.channels == 1));
        }
    }

    private final Encoding encoding;
    private final int payloadType;
    private final String offeredFmtp;

    AudioCodec(final Encoding encoding, final int payloadType, final String offeredFmtp)
    {
        this.encoding = encoding;
        this.payloadType = payloadType;
        this.offeredFmtp = offeredFmtp == null ? "" : offeredFmtp;
    }

    /**
     * @return the encoding.
     */
    public Encoding encoding()
    {
        return encoding;
    }

    /**
     * @return the RTP payload type from the offer, used in both directions.
     */
    public int payloadType()
    {
        return payloadType;
    }

    /**
     * @return the RTP clock rate.
     */
    public int clockRateHz()
    {
        return encoding.clockRateHz;
    }

    /**
     * @return the a=fmtp parameters the offerer gave this payload type (e.g. {@code minptime=10;useinbandfec=1}),
     * or empty. They describe what the offerer wants to receive.
     */
    public String offeredFmtp()
    {
        return offeredFmtp;
    }

    /**
     * @return the a=rtpmap value without the payload type, e.g. {@code opus/48000/2} or {@code PCMU/8000}.
     */
    public String rtpmap()
    {
        return encoding.channels > 1 ?
            encoding.rtpmapName + '/' + encoding.clockRateHz + '/' + encoding.channels :
            encoding.rtpmapName + '/' + encoding.clockRateHz;
    }

    @Override
    public String toString()
    {
        return payloadType + " " + rtpmap();
    }
}
