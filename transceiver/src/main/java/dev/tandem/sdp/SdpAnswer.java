package dev.tandem.sdp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Our answer to an {@link SdpOffer}: an ICE-lite, DTLS-passive, rtcp-mux, single audio stream answer whose host
 * candidates are the relay's public addresses. Every other m-line of the offer (video, data channel, a second audio)
 * is rejected with port 0, in the same order, keeping its mid and left out of the BUNDLE group (RFC 3264 6,
 * RFC 8843 7.3.3).
 * <pre>
 * v=0
 * o=- &lt;session id&gt; 1 IN IP4 0.0.0.0
 * s=-
 * t=0 0
 * a=group:BUNDLE &lt;audio mid&gt;               only when the offer bundled the audio m-line
 * a=ice-lite
 * m=audio &lt;first candidate port&gt; UDP/TLS/RTP/SAVPF &lt;pt&gt;
 * c=IN IP4 &lt;first candidate address&gt;
 * a=mid:&lt;audio mid&gt;
 * a=ice-ufrag:&lt;route token&gt;
 * a=ice-pwd:&lt;password&gt;
 * a=fingerprint:sha-256 &lt;AB:CD:...&gt;
 * a=setup:passive
 * a=candidate:&lt;foundation&gt; 1 udp &lt;priority&gt; &lt;address&gt; &lt;port&gt; typ host     one per relay address
 * a=end-of-candidates
 * a=rtcp-mux
 * a=sendrecv                                  mirror of the offer's direction
 * a=msid:&lt;stream&gt; &lt;track&gt;                     when we send
 * a=rtpmap:&lt;pt&gt; opus/48000/2
 * a=fmtp:&lt;pt&gt; minptime=10;useinbandfec=1
 * a=ssrc:&lt;ssrc&gt; cname:&lt;cname&gt;                 when we send
 * m=application 0 UDP/DTLS/SCTP webrtc-datachannel   each other m-line, rejected
 * c=IN IP4 0.0.0.0
 * a=mid:&lt;its mid&gt;
 * </pre>
 * The c= line and m= port carry the first candidate rather than JSEP's placeholder {@code 0.0.0.0}/9: they are the
 * default destination (RFC 8839 2), which should be a real candidate when candidates are known; browsers ignore both
 * either way (checked with Chromium 156 and Firefox 153), while ICE-unaware or half-aware stacks (some WHIP clients,
 * SIP gateways) only work when they point somewhere real.
 */
public final class SdpAnswer
{
    /** The Opus parameters we ask for: 10 ms minimum packets and in-band FEC; mono (stereo left at its default 0). */
    public static final String OPUS_FMTP = "minptime=10;useinbandfec=1";

    /** RFC 8445 5.1.2.2: the recommended type preference of host candidates. */
    static final int HOST_TYPE_PREFERENCE = 126;
    /** RFC 8445 5.1.2.1: the local preference of the first (most preferred) address. */
    static final int MAX_LOCAL_PREFERENCE = 65535;
    /** RTP and RTCP share component 1 with rtcp-mux (RFC 8445 5.1.1.1). */
    static final int RTP_COMPONENT_ID = 1;

    private static final String CRLF = "\r\n";

    private final String sdp;
    private final AudioCodec codec;
    private final SdpDirection direction;
    private final String mid;

    private SdpAnswer(final String sdp, final AudioCodec codec, final SdpDirection direction, final String mid)
    {
        this.sdp = sdp;
        this.codec = codec;
        this.direction = direction;
        this.mid = mid;
    }

    /**
     * @return the answer text, CRLF line endings.
     */
    public String sdp()
    {
        return sdp;
    }

    /**
     * @return the codec both sides use: the offer's choice with the offer's payload type.
     */
    public AudioCodec codec()
    {
        return codec;
    }

    /**
     * @return our direction for the audio stream: sendrecv for a sendrecv offer, recvonly for a sendonly one, ...
     */
    public SdpDirection direction()
    {
        return direction;
    }

    /**
     * @return the mid of the audio m-line, or null when the offer gave none (then RTP carries no mid extension).
     */
    public String mid()
    {
        return mid;
    }

    @Override
    public String toString()
    {
        return sdp;
    }

    /**
     * RFC 8445 5.1.2.1: priority = 2^24 * type preference + 2^8 * local preference + (256 - component id).
     *
     * @param typePreference  0-126, 126 for host candidates.
     * @param localPreference 0-65535, higher is preferred.
     * @param componentId     1-256, 1 for RTP (and RTCP with rtcp-mux).
     * @return the candidate priority, an unsigned 32-bit value.
     */
    public static long candidatePriority(final int typePreference, final int localPreference, final int componentId)
    {
        return ((long)typePreference << 24) + ((long)localPreference << 8) + (256 - componentId);
    }

    /**
     * Collects what the answer needs from the rest of the transceiver, then writes the answer for one offer. Every
     * value ends up in SDP text, so each is checked against its grammar: a bad one is a programming error
     * ({@link IllegalArgumentException}), never a malformed answer.
     */
    public static final class Builder
    {
        private String iceUfrag;
        private String icePwd;
        private Fingerprint fingerprint;
        private final List<InetSocketAddress> candidates = new ArrayList<>();
        private long ssrc = -1;
        private String cname;
        private long sessionId = -1;
        private String msidStream = "tandem";
        private String msidTrack = "tandem-audio";

        /**
         * @param ufrag our ICE username fragment: the route token, 4-256 ICE characters (RFC 8839 5.4).
         * @return this.
         */
        public Builder iceUfrag(final String ufrag)
        {
            require(SdpChars.isIceChars(ufrag, 4, 256), "ice-ufrag must be 4-256 ICE characters");
            this.iceUfrag = ufrag;
            return this;
        }

        /**
         * @param pwd our ICE password, 22-256 ICE characters (RFC 8839 5.4), random per session.
         * @return this.
         */
        public Builder icePwd(final String pwd)
        {
            require(SdpChars.isIceChars(pwd, 22, 256), "ice-pwd must be 22-256 ICE characters");
            this.icePwd = pwd;
            return this;
        }

        /**
         * @param digest SHA-256 of our DTLS certificate (DER).
         * @return this.
         */
        public Builder fingerprintSha256(final byte[] digest)
        {
            this.fingerprint = Fingerprint.sha256(digest);
            return this;
        }

        /**
         * @param address a public address of the relay, in order of preference; IPv4 or IPv6, not a wildcard.
         * @return this.
         */
        public Builder candidate(final InetSocketAddress address)
        {
            require(address != null && !address.isUnresolved(), "a candidate must be a resolved address");
            require(!address.getAddress().isAnyLocalAddress(), "a candidate cannot be a wildcard address");
            require(address.getPort() > 0, "a candidate needs a port");
            candidates.add(address);
            return this;
        }

        /**
         * @param addresses public addresses of the relay, in order of preference.
         * @return this.
         */
        public Builder candidates(final List<InetSocketAddress> addresses)
        {
            for (final InetSocketAddress address : addresses)
            {
                candidate(address);
            }
            return this;
        }

        /**
         * @param ssrc the SSRC of the audio we send, an unsigned 32-bit value.
         * @return this.
         */
        public Builder ssrc(final long ssrc)
        {
            require(ssrc >= 0 && ssrc <= 0xFFFF_FFFFL, "ssrc must be an unsigned 32-bit value");
            this.ssrc = ssrc;
            return this;
        }

        /**
         * @param cname the RTCP CNAME of our stream (RFC 7022: random per session), 1-255 token characters.
         * @return this.
         */
        public Builder cname(final String cname)
        {
            require(SdpChars.isToken(cname) && cname.length() <= 255, "cname must be 1-255 token characters");
            this.cname = cname;
            return this;
        }

        /**
         * @param sessionId the o= session id, 0 to 2^63-1; JSEP (RFC 8829 5.2.1) wants it random.
         * @return this.
         */
        public Builder sessionId(final long sessionId)
        {
            require(sessionId >= 0, "session id must not be negative");
            this.sessionId = sessionId;
            return this;
        }

        /**
         * @param streamId the MediaStream id of a=msid (RFC 8830 2), 1-64 token characters.
         * @param trackId  the track id, 1-64 token characters.
         * @return this.
         */
        public Builder msid(final String streamId, final String trackId)
        {
            require(SdpChars.isToken(streamId) && streamId.length() <= 64, "msid stream id must be 1-64 tokens");
            require(SdpChars.isToken(trackId) && trackId.length() <= 64, "msid track id must be 1-64 tokens");
            this.msidStream = streamId;
            this.msidTrack = trackId;
            return this;
        }

        /**
         * @param offer an offer the parser accepted.
         * @return the answer.
         * @throws IllegalStateException when a required value (ufrag, pwd, fingerprint, a candidate, ssrc, cname,
         *                               session id) was not given.
         */
        public SdpAnswer build(final SdpOffer offer)
        {
            requireState(iceUfrag != null, "iceUfrag");
            requireState(icePwd != null, "icePwd");
            requireState(fingerprint != null, "fingerprintSha256");
            requireState(!candidates.isEmpty(), "candidate");
            requireState(ssrc >= 0, "ssrc");
            requireState(cname != null, "cname");
            requireState(sessionId >= 0, "sessionId");

            final MediaSection audio = offer.audio();
            final AudioCodec codec = offer.codec();
            final SdpDirection direction = offer.direction().answer();
            final boolean bundled = audio.mid() != null && offer.bundleMids().contains(audio.mid());
            final InetSocketAddress defaultCandidate = candidates.get(0);

            final StringBuilder out = new StringBuilder(1024);
            // RFC 8829 5.3.1 / 5.2.1: o= with a random session id and a placeholder address that reveals nothing.
            line(out, "v=0");
            line(out, "o=- " + sessionId + " 1 IN IP4 0.0.0.0");
            line(out, "s=-");
            line(out, "t=0 0");
            if (bundled)
            {
                // RFC 8843 7.3.3: only accepted m-lines are in the answer's BUNDLE group.
                line(out, "a=group:BUNDLE " + audio.mid());
            }
            // RFC 8839 5.3: ice-lite is a session-level attribute.
            line(out, "a=ice-lite");

            for (final MediaSection section : offer.mediaSections())
            {
                if (section.index() == audio.index())
                {
                    line(out, "m=audio " + defaultCandidate.getPort() + ' ' + audio.proto() + ' ' +
                        codec.payloadType());
                    line(out, "c=" + connectionAddress(defaultCandidate.getAddress()));
                    if (audio.mid() != null)
                    {
                        line(out, "a=mid:" + audio.mid());
                    }
                    line(out, "a=ice-ufrag:" + iceUfrag);
                    line(out, "a=ice-pwd:" + icePwd);
                    line(out, "a=fingerprint:" + fingerprint.attributeValue());
                    // RFC 8842 5.2: we answer passive, so the browser is the DTLS client and sends the ClientHello.
                    line(out, "a=setup:passive");
                    candidateLines(out);
                    line(out, "a=rtcp-mux");
                    line(out, "a=" + direction.attribute());
                    if (direction.sends())
                    {
                        // RFC 8830 2: identifies our track so the browser fires ontrack with a stream.
                        line(out, "a=msid:" + msidStream + ' ' + msidTrack);
                    }
                    line(out, "a=rtpmap:" + codec.payloadType() + ' ' + codec.rtpmap());
                    if (codec.encoding() == AudioCodec.Encoding.OPUS)
                    {
                        // RFC 7587 7: what we want to receive; stereo/sprop-stereo stay at their default (mono).
                        line(out, "a=fmtp:" + codec.payloadType() + ' ' + OPUS_FMTP);
                    }
                    if (direction.sends())
                    {
                        // RFC 5576 4.1: announce our SSRC with its CNAME.
                        line(out, "a=ssrc:" + ssrc + " cname:" + cname);
                    }
                }
                else
                {
                    rejectedSection(out, section);
                }
            }
            return new SdpAnswer(out.toString(), codec, direction, audio.mid());
        }

        private void candidateLines(final StringBuilder out)
        {
            // RFC 8445 5.1.1.3: candidates of the same type, base IP and protocol share a foundation; different IP
            // addresses get different ones. Preference follows the order the addresses were given.
            final List<InetAddress> foundations = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++)
            {
                final InetSocketAddress candidate = candidates.get(i);
                int foundation = foundations.indexOf(candidate.getAddress());
                if (foundation < 0)
                {
                    foundations.add(candidate.getAddress());
                    foundation = foundations.size() - 1;
                }
                final long priority = candidatePriority(
                    HOST_TYPE_PREFERENCE, Math.max(0, MAX_LOCAL_PREFERENCE - i), RTP_COMPONENT_ID);
                // RFC 8839 5.1: candidate:<foundation> <component> <transport> <priority> <address> <port> typ host
                line(out, "a=candidate:" + (foundation + 1) + ' ' + RTP_COMPONENT_ID + " udp " + priority + ' ' +
                    addressText(candidate.getAddress()) + ' ' + candidate.getPort() + " typ host");
            }
            // RFC 8840 4.4 / RFC 8838 4: no candidate will follow.
            line(out, "a=end-of-candidates");
        }

        private static void rejectedSection(final StringBuilder out, final MediaSection section)
        {
            // RFC 3264 6 / RFC 8829 5.3.1: a rejected m-line has port 0 and keeps at least one format and its mid.
            line(out, "m=" + section.kind() + " 0 " + section.proto() + ' ' + section.formats().get(0));
            line(out, "c=IN IP4 0.0.0.0");
            if (section.mid() != null)
            {
                line(out, "a=mid:" + section.mid());
            }
            if (section.isRtp())
            {
                line(out, "a=inactive");
            }
        }

        private static String connectionAddress(final InetAddress address)
        {
            // RFC 8866 5.7: c=<nettype> <addrtype> <connection-address>
            return (address instanceof Inet6Address ? "IN IP6 " : "IN IP4 ") + addressText(address);
        }

        private static String addressText(final InetAddress address)
        {
            final String text = address.getHostAddress();
            final int scope = text.indexOf('%');
            return scope < 0 ? text : text.substring(0, scope);
        }

        private static void line(final StringBuilder out, final String line)
        {
            out.append(line).append(CRLF);
        }

        private static void require(final boolean condition, final String message)
        {
            if (!condition)
            {
                throw new IllegalArgumentException(message);
            }
        }

        private static void requireState(final boolean condition, final String name)
        {
            if (!condition)
            {
                throw new IllegalStateException("SdpAnswer.Builder: " + name + " was not set");
            }
        }
    }
}
