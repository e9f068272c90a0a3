package dev.tandem.sdp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Parses an SDP offer from a browser or WebRTC library and decides whether we can answer it.
 * <p>
 * The grammar is RFC 8866 5 ({@code <type>=<value>} lines, CRLF or bare LF), read leniently where browsers and
 * libraries differ (blank lines, trailing white space, unknown attributes and line types are skipped) and strictly
 * where a bad value would reach the answer or the session (m-lines, mids, ICE credentials, fingerprints, rtpmap,
 * ssrc). Cold path: it allocates freely, but it is bounded (length, m-line count) and never throws anything but
 * {@link SdpException} on hostile input.
 */
public final class SdpParser
{
    /** Default longest offer accepted. Browser offers are 1.5-7 KiB; audio, video and data channel is ~7 KiB. */
    public static final int DEFAULT_MAX_LENGTH_BYTES = 64 * 1024;
    /** Most m-lines accepted in one offer. */
    public static final int MAX_MEDIA_SECTIONS = 64;
    /** Longest a=mid accepted: it is echoed into the answer and into RTP header extensions. */
    static final int MAX_MID_LENGTH = 64;

    private static final int MAX_PAYLOAD_TYPE = 127;
    private static final long MAX_SSRC = 0xFFFF_FFFFL;

    private SdpParser()
    {
    }

    /**
     * Parse an offer held in a string, with the default length limit.
     *
     * @param sdp the offer text.
     * @return the offer, which we can answer.
     * @throws SdpException with the reason when we cannot.
     */
    public static SdpOffer parseOffer(final String sdp) throws SdpException
    {
        final byte[] bytes = sdp.getBytes(StandardCharsets.UTF_8);
        return parseOffer(bytes, 0, bytes.length, DEFAULT_MAX_LENGTH_BYTES);
    }

    /**
     * Parse an offer held in bytes (UTF-8, RFC 8866 5.1; malformed sequences become U+FFFD and are rejected only if
     * they land where the grammar forbids them).
     *
     * @param bytes          buffer holding the offer.
     * @param offset         where it starts.
     * @param length         its length.
     * @param maxLengthBytes longest offer accepted.
     * @return the offer, which we can answer.
     * @throws SdpException with the reason when we cannot.
     */
    public static SdpOffer parseOffer(final byte[] bytes, final int offset, final int length, final int maxLengthBytes)
        throws SdpException
    {
        if (offset < 0 || length < 0 || offset > bytes.length - length)
        {
            throw new IndexOutOfBoundsException("offset " + offset + " length " + length + " of " + bytes.length);
        }
        if (length > maxLengthBytes)
        {
            throw new SdpException(SdpRejectReason.TOO_LARGE, 0,
                "the offer is " + length + " bytes, more than the limit of " + maxLengthBytes);
        }
        final String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
        final Parse parse = new Parse();
        parse.lines(text);
        return parse.offer(length);
    }

    /**
     * Per m-line (or session-level) state while parsing.
     */
    private static final class Section
    {
        final int index;
        final int lineNumber;
        final String kind;
        final int port;
        final String proto;
        final List<String> formats;
        String mid;
        String iceUfrag;
        String icePwd;
        boolean iceTrickle;
        boolean iceLite;
        final List<Fingerprint> fingerprints = new ArrayList<>();
        DtlsSetup setup;
        boolean rtcpMux;
        SdpDirection direction;
        boolean bundleOnly;
        String[] rtpmapName;
        int[] rtpmapClockRateHz;
        int[] rtpmapChannels;
        String[] fmtp;
        long ssrc = -1;
        String cname;

        Section(
            final int index,
            final int lineNumber,
            final String kind,
            final int port,
            final String proto,
            final List<String> formats)
        {
            this.index = index;
            this.lineNumber = lineNumber;
            this.kind = kind;
            this.port = port;
            this.proto = proto;
            this.formats = formats;
        }

        void rtpmap(final int payloadType, final String name, final int clockRateHz, final int channels)
        {
            if (rtpmapName == null)
            {
                rtpmapName = new String[MAX_PAYLOAD_TYPE + 1];
                rtpmapClockRateHz = new int[MAX_PAYLOAD_TYPE + 1];
                rtpmapChannels = new int[MAX_PAYLOAD_TYPE + 1];
            }
            rtpmapName[payloadType] = name;
            rtpmapClockRateHz[payloadType] = clockRateHz;
            rtpmapChannels[payloadType] = channels;
        }

        void fmtp(final int payloadType, final String parameters)
        {
            if (fmtp == null)
            {
                fmtp = new String[MAX_PAYLOAD_TYPE + 1];
            }
            fmtp[payloadType] = parameters;
        }

        MediaSection toMediaSection()
        {
            return new MediaSection(index, kind, port, proto, formats, mid, bundleOnly);
        }
    }

    /**
     * One parse: the session level, the m-lines and the BUNDLE groups seen so far.
     */
    private static final class Parse
    {
        final Section session = new Section(-1, 0, "session", 0, "", Collections.emptyList());
        final List<Section> sections = new ArrayList<>();
        final List<List<String>> bundleGroups = new ArrayList<>();

        void lines(final String text) throws SdpException
        {
            int position = 0;
            int lineNumber = 0;
            boolean sawVersion = false;
            while (position < text.length())
            {
                final int newline = text.indexOf('\n', position);
                int end = newline < 0 ? text.length() : newline;
                final int lineStart = position;
                position = newline < 0 ? text.length() : newline + 1;
                lineNumber++;
                // RFC 8866 5: lines end in CRLF, but parsers should accept a bare LF. Trailing blanks are tolerated.
                while (end > lineStart && isBlank(text.charAt(end - 1)))
                {
                    end--;
                }
                if (end == lineStart)
                {
                    continue;
                }
                final String line = text.substring(lineStart, end);
                checkCharacters(line, lineNumber);
                // RFC 8866 5: <type>=<value>, type a single lower-case letter, no white space around '='.
                final char type = line.charAt(0);
                if (line.length() < 2 || type < 'a' || type > 'z' || line.charAt(1) != '=')
                {
                    throw malformed(lineNumber, "expected <type>=<value>, got '" + excerpt(line) + "'");
                }
                final String value = line.substring(2);
                if (!sawVersion)
                {
                    // RFC 8866 5: a session description starts with v=0.
                    if (type != 'v' || !"0".equals(value))
                    {
                        throw malformed(lineNumber, "an SDP offer starts with v=0, not '" + excerpt(line) + "'");
                    }
                    sawVersion = true;
                    continue;
                }
                if (type == 'm')
                {
                    mediaLine(value, lineNumber);
                }
                else if (type == 'a')
                {
                    attribute(sections.isEmpty() ? session : sections.get(sections.size() - 1), value, lineNumber);
                }
                // o=, s=, t=, c=, b= and the rest carry nothing an ICE-lite DTLS-SRTP answerer needs.
            }
            if (!sawVersion)
            {
                throw malformed(0, "the offer is empty");
            }
        }

        void mediaLine(final String value, final int lineNumber) throws SdpException
        {
            // RFC 8866 5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ...
            final List<String> fields = split(value);
            if (fields.size() < 4)
            {
                throw malformed(lineNumber, "an m-line needs <media> <port> <proto> <fmt>...");
            }
            if (sections.size() >= MAX_MEDIA_SECTIONS)
            {
                throw new SdpException(SdpRejectReason.TOO_LARGE, lineNumber,
                    "more than " + MAX_MEDIA_SECTIONS + " m-lines");
            }
            final String kind = fields.get(0);
            String portText = fields.get(1);
            final int slash = portText.indexOf('/');
            if (slash >= 0)
            {
                portText = portText.substring(0, slash);
            }
            final long port = SdpChars.parseUnsigned(portText, 65535);
            final String proto = fields.get(2);
            if (!SdpChars.isToken(kind) || port < 0 || !isProto(proto))
            {
                throw malformed(lineNumber, "bad m-line 'm=" + excerpt(value) + "'");
            }
            final List<String> formats = fields.subList(3, fields.size());
            for (final String format : formats)
            {
                if (!SdpChars.isToken(format))
                {
                    throw malformed(lineNumber, "bad format '" + excerpt(format) + "' in m-line");
                }
            }
            sections.add(new Section(sections.size(), lineNumber, kind, (int)port, proto, new ArrayList<>(formats)));
        }

        void attribute(final Section section, final String value, final int lineNumber) throws SdpException
        {
            // RFC 8866 5.13: a=<attribute-name>[:<attribute-value>]
            final int colon = value.indexOf(':');
            final String name = colon < 0 ? value : value.substring(0, colon);
            final String argument = colon < 0 ? "" : value.substring(colon + 1).trim();
            switch (name)
            {
                case "group":
                    group(section, argument, lineNumber);
                    break;
                case "mid":
                    // RFC 8843 / RFC 5888 4: identification-tag = token; we echo it, so it must be one.
                    if (!SdpChars.isToken(argument) || argument.length() > MAX_MID_LENGTH)
                    {
                        throw malformed(lineNumber, "a=mid must be a token of 1-" + MAX_MID_LENGTH + " characters");
                    }
                    section.mid = argument;
                    break;
                case "ice-ufrag":
                    // RFC 8839 5.4: ufrag is 4-256 ice-chars.
                    if (!SdpChars.isIceChars(argument, 4, 256))
                    {
                        throw malformed(lineNumber, "a=ice-ufrag must be 4-256 ICE characters");
                    }
                    section.iceUfrag = argument;
                    break;
                case "ice-pwd":
                    // RFC 8839 5.4: password is 22-256 ice-chars (at least 128 bits).
                    if (!SdpChars.isIceChars(argument, 22, 256))
                    {
                        throw malformed(lineNumber, "a=ice-pwd must be 22-256 ICE characters");
                    }
                    section.icePwd = argument;
                    break;
                case "ice-options":
                    // RFC 8839 5.6: a list of tokens; trickle (RFC 8840) is the one browsers send.
                    for (final String option : split(argument))
                    {
                        if ("trickle".equals(option))
                        {
                            section.iceTrickle = true;
                        }
                    }
                    break;
                case "ice-lite":
                    section.iceLite = true;
                    break;
                case "fingerprint":
                    fingerprint(section, argument, lineNumber);
                    break;
                case "setup":
                    section.setup = DtlsSetup.fromAttribute(argument);
                    if (section.setup == null)
                    {
                        throw malformed(lineNumber, "a=setup must be actpass, active, passive or holdconn");
                    }
                    break;
                case "rtcp-mux":
                case "rtcp-mux-only":
                    section.rtcpMux = true;
                    break;
                case "sendrecv":
                case "sendonly":
                case "recvonly":
                case "inactive":
                    section.direction = SdpDirection.fromAttribute(name);
                    break;
                case "bundle-only":
                    section.bundleOnly = true;
                    break;
                case "rtpmap":
                    rtpmap(section, argument, lineNumber);
                    break;
                case "fmtp":
                    fmtp(section, argument);
                    break;
                case "ssrc":
                    ssrc(section, argument, lineNumber);
                    break;
                default:
                    // candidate, end-of-candidates, extmap, msid, rtcp, rtcp-fb, sctp-port and anything unknown:
                    // an ICE-lite answerer with all its candidates in the answer needs none of them.
                    break;
            }
        }

        void group(final Section section, final String argument, final int lineNumber) throws SdpException
        {
            // RFC 5888 5: a=group:<semantics> *(SP identification-tag). Only BUNDLE (RFC 8843 7) matters here.
            final List<String> fields = split(argument);
            if (section != session || fields.isEmpty() || !"BUNDLE".equals(fields.get(0)))
            {
                return;
            }
            final List<String> mids = new ArrayList<>(fields.subList(1, fields.size()));
            for (final String mid : mids)
            {
                if (!SdpChars.isToken(mid) || mid.length() > MAX_MID_LENGTH)
                {
                    throw malformed(lineNumber, "a=group:BUNDLE lists a bad mid '" + excerpt(mid) + "'");
                }
            }
            bundleGroups.add(mids);
        }

        void fingerprint(final Section section, final String argument, final int lineNumber) throws SdpException
        {
            // RFC 8122 5: a=fingerprint:<hash-func> SP <hex pairs separated by ':'>; RFC 8842 5 allows several.
            final Fingerprint fingerprint = Fingerprint.parse(argument);
            if (fingerprint == null)
            {
                throw malformed(lineNumber, "a=fingerprint must be <hash-function> <hex:hex:...>");
            }
            if (Fingerprint.SHA_256.equals(fingerprint.algorithm()) && !fingerprint.isSha256())
            {
                throw malformed(lineNumber, "a sha-256 fingerprint must be 32 bytes");
            }
            section.fingerprints.add(fingerprint);
        }

        void rtpmap(final Section section, final String argument, final int lineNumber) throws SdpException
        {
            // RFC 8866 6.6: a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
            final int space = argument.indexOf(' ');
            final long payloadType = space < 0 ? -1 : SdpChars.parseUnsigned(argument.substring(0, space), 127);
            if (payloadType < 0)
            {
                throw malformed(lineNumber, "a=rtpmap needs a payload type 0-127");
            }
            final String[] parts = argument.substring(space + 1).trim().split("/", 4);
            final long clockRateHz = parts.length >= 2 ? SdpChars.parseUnsigned(parts[1], Integer.MAX_VALUE) : -1;
            final long channels = parts.length >= 3 ? SdpChars.parseUnsigned(parts[2], 255) : 0;
            if (parts.length > 3 || !SdpChars.isToken(parts[0]) || clockRateHz <= 0 || channels < 0)
            {
                throw malformed(lineNumber, "a=rtpmap must be <payload type> <encoding>/<clock rate>[/<channels>]");
            }
            section.rtpmap((int)payloadType, parts[0], (int)clockRateHz, (int)channels);
        }

        void fmtp(final Section section, final String argument)
        {
            // RFC 8866 6.15: a=fmtp:<format> <format specific parameters>. Non-RTP formats are ignored.
            final int space = argument.indexOf(' ');
            final long payloadType = SdpChars.parseUnsigned(space < 0 ? argument : argument.substring(0, space), 127);
            if (payloadType >= 0)
            {
                section.fmtp((int)payloadType, space < 0 ? "" : argument.substring(space + 1).trim());
            }
        }

        void ssrc(final Section section, final String argument, final int lineNumber) throws SdpException
        {
            // RFC 5576 4.1: a=ssrc:<ssrc-id> <attribute>[:<value>]
            final int space = argument.indexOf(' ');
            final long ssrc = SdpChars.parseUnsigned(space < 0 ? argument : argument.substring(0, space), MAX_SSRC);
            if (ssrc < 0)
            {
                throw malformed(lineNumber, "a=ssrc needs an SSRC 0-4294967295");
            }
            if (section.ssrc < 0)
            {
                section.ssrc = ssrc;
            }
            if (ssrc == section.ssrc && space > 0 && section.cname == null)
            {
                final String sourceAttribute = argument.substring(space + 1).trim();
                if (sourceAttribute.startsWith("cname:"))
                {
                    section.cname = sourceAttribute.substring("cname:".length());
                }
            }
        }

        SdpOffer offer(final int lengthBytes) throws SdpException
        {
            final Section audio = findAudio();
            final List<String> bundle = bundleGroupOf(audio);
            final Section tag = bundle.isEmpty() ? null : sectionWithMid(bundle.get(0));

            final AudioCodec codec = chooseCodec(audio);

            final String ufrag = first(audio.iceUfrag, tag == null ? null : tag.iceUfrag, session.iceUfrag);
            final String pwd = first(audio.icePwd, tag == null ? null : tag.icePwd, session.icePwd);
            if (ufrag == null || pwd == null)
            {
                throw new SdpException(SdpRejectReason.NO_ICE_CREDENTIALS, audio.lineNumber,
                    "the audio m-line has no " + (ufrag == null ? "a=ice-ufrag" : "a=ice-pwd") +
                    " (at media or session level)");
            }

            List<Fingerprint> fingerprints = audio.fingerprints;
            if (fingerprints.isEmpty() && tag != null)
            {
                fingerprints = tag.fingerprints;
            }
            if (fingerprints.isEmpty())
            {
                fingerprints = session.fingerprints;
            }
            Fingerprint sha256 = null;
            for (final Fingerprint fingerprint : fingerprints)
            {
                if (fingerprint.isSha256())
                {
                    sha256 = fingerprint;
                    break;
                }
            }
            if (sha256 == null)
            {
                throw new SdpException(SdpRejectReason.NO_SHA256_FINGERPRINT, audio.lineNumber,
                    fingerprints.isEmpty() ? "the offer has no a=fingerprint" :
                    "the offer has no sha-256 fingerprint, only " + algorithms(fingerprints));
            }

            DtlsSetup setup = audio.setup != null ? audio.setup : tag != null ? tag.setup : null;
            if (setup == null)
            {
                // RFC 4145 4.1: without a=setup the offerer is active.
                setup = session.setup != null ? session.setup : DtlsSetup.ACTIVE;
            }
            if (setup != DtlsSetup.ACTPASS && setup != DtlsSetup.ACTIVE)
            {
                // RFC 8842 5.2: an offer of passive needs an active answerer, and we are only ever the DTLS server.
                throw new SdpException(SdpRejectReason.UNSUPPORTED_SETUP, audio.lineNumber,
                    "a=setup:" + setup.attribute() + " would make us the DTLS client; offer actpass or active");
            }

            // RFC 8829 5.1.3: WebRTC requires rtcp-mux; RFC 8843 7.1.3 lets a bundled m-line inherit it from the tag.
            if (!audio.rtcpMux && !(tag != null && tag.rtcpMux) && !session.rtcpMux)
            {
                throw new SdpException(SdpRejectReason.NO_RTCP_MUX, audio.lineNumber,
                    "the audio m-line does not offer a=rtcp-mux");
            }

            if (session.iceLite)
            {
                throw new SdpException(SdpRejectReason.PEER_ICE_LITE, 0,
                    "the offerer is ICE-lite and so are we: nobody would send connectivity checks");
            }

            final SdpDirection direction = audio.direction != null ? audio.direction :
                session.direction != null ? session.direction : SdpDirection.SENDRECV;
            final boolean trickle = audio.iceTrickle || (tag != null && tag.iceTrickle) || session.iceTrickle;

            final List<MediaSection> mediaSections = new ArrayList<>(sections.size());
            for (final Section section : sections)
            {
                mediaSections.add(section.toMediaSection());
            }
            return new SdpOffer(
                mediaSections,
                audio.index,
                codec,
                ufrag,
                pwd,
                trickle,
                fingerprints,
                sha256,
                setup,
                direction,
                bundle,
                audio.ssrc,
                audio.cname,
                lengthBytes);
        }

        Section findAudio() throws SdpException
        {
            String problem = "the offer has no audio m-line";
            for (final Section section : sections)
            {
                if (!"audio".equals(section.kind))
                {
                    continue;
                }
                if (section.port == 0 && !section.bundleOnly)
                {
                    // RFC 3264 5.1 / RFC 8843 6: port 0 without bundle-only is a disabled m-line.
                    problem = "the audio m-line is disabled (port 0)";
                    continue;
                }
                if (!isSecureRtp(section.proto))
                {
                    problem = "the audio m-line uses " + section.proto + ", not DTLS-SRTP (UDP/TLS/RTP/SAVPF)";
                    continue;
                }
                return section;
            }
            throw new SdpException(SdpRejectReason.NO_AUDIO, 0, problem);
        }

        List<String> bundleGroupOf(final Section audio)
        {
            if (audio.mid != null)
            {
                for (final List<String> group : bundleGroups)
                {
                    if (group.contains(audio.mid))
                    {
                        return group;
                    }
                }
            }
            return Collections.emptyList();
        }

        Section sectionWithMid(final String mid)
        {
            for (final Section section : sections)
            {
                if (mid.equals(section.mid))
                {
                    return section;
                }
            }
            return null;
        }

        static AudioCodec chooseCodec(final Section audio) throws SdpException
        {
            // Our preference, not the offer's order: Opus, then PCMU, then PCMA. telephone-event, RED, CN, G722 and
            // the rest are left out of the answer.
            for (final AudioCodec.Encoding encoding : AudioCodec.Encoding.values())
            {
                for (final String format : audio.formats)
                {
                    final long payloadType = SdpChars.parseUnsigned(format, MAX_PAYLOAD_TYPE);
                    if (payloadType < 0)
                    {
                        continue;
                    }
                    final int pt = (int)payloadType;
                    final String name = audio.rtpmapName == null ? null : audio.rtpmapName[pt];
                    final boolean matches = name != null ?
                        encoding.matches(name, audio.rtpmapClockRateHz[pt], audio.rtpmapChannels[pt]) :
                        pt == encoding.staticPayloadType(); // RFC 3551 6: static types need no rtpmap
                    if (matches)
                    {
                        return new AudioCodec(encoding, pt, audio.fmtp == null ? null : audio.fmtp[pt]);
                    }
                }
            }
            final StringBuilder offered = new StringBuilder();
            for (final String format : audio.formats)
            {
                final long payloadType = SdpChars.parseUnsigned(format, MAX_PAYLOAD_TYPE);
                final String name = payloadType < 0 || audio.rtpmapName == null ?
                    null : audio.rtpmapName[(int)payloadType];
                offered.append(offered.length() == 0 ? "" : ", ").append(name != null ? name : format);
            }
            throw new SdpException(SdpRejectReason.NO_SUPPORTED_CODEC, audio.lineNumber,
                "no supported audio codec (opus/48000/2, PCMU/8000 or PCMA/8000) among: " + offered);
        }
    }

    private static boolean isProto(final String proto)
    {
        // RFC 8866 9: proto = token *("/" token).
        if (proto.isEmpty() || proto.charAt(0) == '/' || proto.charAt(proto.length() - 1) == '/')
        {
            return false;
        }
        for (int i = 0; i < proto.length(); i++)
        {
            final char c = proto.charAt(i);
            if (c != '/' && !SdpChars.isTokenChar(c))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isSecureRtp(final String proto)
    {
        // RFC 5764 8 / RFC 8829 5.1.2: UDP/TLS/RTP/SAVP(F); plain RTP/SAVP(F) is what some older stacks still write.
        final String upper = proto.toUpperCase(Locale.ROOT);
        return "UDP/TLS/RTP/SAVPF".equals(upper) || "UDP/TLS/RTP/SAVP".equals(upper) ||
            "RTP/SAVPF".equals(upper) || "RTP/SAVP".equals(upper);
    }

    private static void checkCharacters(final String line, final int lineNumber) throws SdpException
    {
        // RFC 8866 5: no NUL, CR or LF inside a line; other controls have no business in an offer either.
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F)
            {
                throw malformed(lineNumber, "control character 0x" + Integer.toHexString(c) + " at column " + (i + 1));
            }
        }
    }

    private static boolean isBlank(final char c)
    {
        return c == ' ' || c == '\t' || c == '\r';
    }

    private static List<String> split(final String text)
    {
        final List<String> fields = new ArrayList<>();
        int i = 0;
        while (i < text.length())
        {
            while (i < text.length() && text.charAt(i) == ' ')
            {
                i++;
            }
            final int start = i;
            while (i < text.length() && text.charAt(i) != ' ')
            {
                i++;
            }
            if (i > start)
            {
                fields.add(text.substring(start, i));
            }
        }
        return fields;
    }

    private static String first(final String a, final String b, final String c)
    {
        return a != null ? a : b != null ? b : c;
    }

    private static String algorithms(final List<Fingerprint> fingerprints)
    {
        final StringBuilder out = new StringBuilder();
        for (final Fingerprint fingerprint : fingerprints)
        {
            out.append(out.length() == 0 ? "" : ", ").append(fingerprint.algorithm());
        }
        return out.toString();
    }

    private static String excerpt(final String text)
    {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static SdpException malformed(final int lineNumber, final String message)
    {
        return new SdpException(SdpRejectReason.MALFORMED, lineNumber, message);
    }
}
