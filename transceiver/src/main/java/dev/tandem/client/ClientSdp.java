package dev.tandem.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The client's side of SDP: the offer Chromium makes for one microphone track (trimmed to what matters), and a
 * small parser for the server's answer that keeps what a client needs (ICE-lite, credentials, fingerprint,
 * candidates, the chosen payload type). Cold path.
 * <pre>
 * v=0
 * o=- &lt;session id&gt; 2 IN IP4 127.0.0.1
 * s=-
 * t=0 0
 * a=group:BUNDLE 0
 * a=msid-semantic: WMS &lt;stream&gt;
 * m=audio 9 UDP/TLS/RTP/SAVPF 111 0 8
 * c=IN IP4 0.0.0.0
 * a=rtcp:9 IN IP4 0.0.0.0
 * a=ice-ufrag:&lt;ufrag&gt;
 * a=ice-pwd:&lt;pwd&gt;
 * a=ice-options:trickle
 * a=fingerprint:sha-256 &lt;AB:CD:...&gt;
 * a=setup:actpass
 * a=mid:0
 * a=sendrecv
 * a=msid:&lt;stream&gt; &lt;track&gt;
 * a=rtcp-mux
 * a=rtpmap:111 opus/48000/2
 * a=fmtp:111 minptime=10;useinbandfec=1
 * a=rtpmap:0 PCMU/8000
 * a=rtpmap:8 PCMA/8000
 * a=ssrc:&lt;ssrc&gt; cname:&lt;cname&gt;
 * a=ssrc:&lt;ssrc&gt; msid:&lt;stream&gt; &lt;track&gt;
 * </pre>
 */
final class ClientSdp
{
    /** The mid of our one audio m-line, as Chromium numbers them. */
    static final String AUDIO_MID = "0";
    /** Opus, as Chromium offers it. */
    static final int OPUS_PAYLOAD_TYPE = 111;

    private static final String CRLF = "\r\n";

    private ClientSdp()
    {
    }

    /**
     * @param iceUfrag    our ICE ufrag (RFC 8445 5.3: at least 4 ICE characters).
     * @param icePwd      our ICE password (at least 22 ICE characters).
     * @param fingerprint the {@code a=fingerprint} value, e.g. {@code sha-256 AB:CD:...}.
     * @param ssrc        our SSRC.
     * @param cname       our CNAME.
     * @param sessionId   the o= session id, a positive 63-bit number.
     * @param streamId    the msid stream id.
     * @return the offer, CRLF line endings.
     */
    static String offer(
        final String iceUfrag,
        final String icePwd,
        final String fingerprint,
        final long ssrc,
        final String cname,
        final long sessionId,
        final String streamId)
    {
        final String trackId = streamId + "-audio";
        final StringBuilder out = new StringBuilder(1024);
        line(out, "v=0");
        line(out, "o=- " + sessionId + " 2 IN IP4 127.0.0.1");
        line(out, "s=-");
        line(out, "t=0 0");
        line(out, "a=group:BUNDLE " + AUDIO_MID);
        line(out, "a=msid-semantic: WMS " + streamId);
        // RFC 8829 5.2.1: port 9 and 0.0.0.0 until candidates are known; candidates trickle (none here).
        line(out, "m=audio 9 UDP/TLS/RTP/SAVPF " + OPUS_PAYLOAD_TYPE + " 0 8");
        line(out, "c=IN IP4 0.0.0.0");
        line(out, "a=rtcp:9 IN IP4 0.0.0.0");
        line(out, "a=ice-ufrag:" + iceUfrag);
        line(out, "a=ice-pwd:" + icePwd);
        line(out, "a=ice-options:trickle");
        line(out, "a=fingerprint:" + fingerprint);
        // RFC 8842 5.2: an offerer says actpass; the ICE-lite answerer picks passive, so we are the DTLS client.
        line(out, "a=setup:actpass");
        line(out, "a=mid:" + AUDIO_MID);
        line(out, "a=sendrecv");
        line(out, "a=msid:" + streamId + ' ' + trackId);
        line(out, "a=rtcp-mux");
        line(out, "a=rtpmap:" + OPUS_PAYLOAD_TYPE + " opus/48000/2");
        line(out, "a=fmtp:" + OPUS_PAYLOAD_TYPE + " minptime=10;useinbandfec=1");
        line(out, "a=rtpmap:0 PCMU/8000");
        line(out, "a=rtpmap:8 PCMA/8000");
        line(out, "a=ssrc:" + ssrc + " cname:" + cname);
        line(out, "a=ssrc:" + ssrc + " msid:" + streamId + ' ' + trackId);
        return out.toString();
    }

    /**
     * Read what a client needs from an answer: session-level {@code a=ice-lite}, and from the first accepted
     * {@code m=audio} (session-level values as fallback) the ICE credentials, the fingerprint, the setup role, the
     * candidates and the payload type. Never throws on bad input.
     *
     * @param sdp the answer text.
     * @return the answer; {@link RemoteAnswer#error()} says why it is unusable, if it is.
     */
    static RemoteAnswer parseAnswer(final String sdp)
    {
        final RemoteAnswer answer = new RemoteAnswer();
        if (sdp == null || sdp.isEmpty())
        {
            return answer.fail("empty answer");
        }
        if (sdp.length() > 64 * 1024)
        {
            return answer.fail("answer longer than 64 KiB");
        }
        String sessionUfrag = null;
        String sessionPwd = null;
        String sessionFingerprint = null;
        String connectionAddress = null;
        int section = 0; // 0 session level, 1 our audio section, 2 any other section
        boolean sawAudio = false;
        int defaultPort = -1;
        for (final String rawLine : sdp.split("\n", -1))
        {
            final String line = rawLine.endsWith("\r") ? rawLine.substring(0, rawLine.length() - 1) : rawLine;
            if (line.length() < 2 || line.charAt(1) != '=')
            {
                continue;
            }
            final char type = line.charAt(0);
            final String value = line.substring(2).trim();
            if (type == 'm')
            {
                final String[] parts = value.split(" +");
                if (!sawAudio && parts.length >= 4 && "audio".equals(parts[0]) && !"0".equals(parts[1]))
                {
                    sawAudio = true;
                    section = 1;
                    defaultPort = parseInt(parts[1], -1);
                    answer.payloadType = parseInt(parts[3], -1);
                    answer.proto = parts[2];
                }
                else
                {
                    section = 2;
                }
                continue;
            }
            if (section == 2)
            {
                continue;
            }
            if (type == 'c' && section == 1)
            {
                final String[] parts = value.split(" +");
                connectionAddress = parts.length >= 3 ? parts[2] : null;
                continue;
            }
            if (type != 'a')
            {
                continue;
            }
            final int colon = value.indexOf(':');
            final String name = colon < 0 ? value : value.substring(0, colon);
            final String attribute = colon < 0 ? "" : value.substring(colon + 1).trim();
            switch (name)
            {
                case "ice-lite":
                    answer.iceLite = true; // RFC 8839 5.3: session level
                    break;
                case "ice-ufrag":
                    if (section == 0)
                    {
                        sessionUfrag = attribute;
                    }
                    else
                    {
                        answer.iceUfrag = attribute;
                    }
                    break;
                case "ice-pwd":
                    if (section == 0)
                    {
                        sessionPwd = attribute;
                    }
                    else
                    {
                        answer.icePwd = attribute;
                    }
                    break;
                case "fingerprint":
                    if (section == 0)
                    {
                        sessionFingerprint = attribute;
                    }
                    else if (answer.fingerprint == null)
                    {
                        answer.fingerprint = attribute;
                    }
                    break;
                case "setup":
                    answer.setup = attribute;
                    break;
                case "rtcp-mux":
                    answer.rtcpMux = section == 1;
                    break;
                case "mid":
                    answer.mid = attribute;
                    break;
                case "candidate":
                    if (section == 1)
                    {
                        final InetSocketAddress candidate = parseCandidate(attribute);
                        if (candidate != null)
                        {
                            answer.candidates.add(candidate);
                        }
                    }
                    break;
                case "rtpmap":
                    if (section == 1)
                    {
                        final String[] parts = attribute.split(" +");
                        if (parts.length == 2 && parseInt(parts[0], -2) == answer.payloadType)
                        {
                            final String[] encoding = parts[1].split("/");
                            answer.encoding = encoding[0].toLowerCase(Locale.ROOT);
                            answer.clockRateHz = encoding.length > 1 ? parseInt(encoding[1], -1) : -1;
                        }
                    }
                    break;
                case "ssrc":
                    if (section == 1 && answer.ssrc < 0)
                    {
                        final int space = attribute.indexOf(' ');
                        answer.ssrc = parseLong(space < 0 ? attribute : attribute.substring(0, space), -1);
                    }
                    break;
                default:
                    break;
            }
        }
        if (answer.iceUfrag == null)
        {
            answer.iceUfrag = sessionUfrag;
        }
        if (answer.icePwd == null)
        {
            answer.icePwd = sessionPwd;
        }
        if (answer.fingerprint == null)
        {
            answer.fingerprint = sessionFingerprint;
        }
        if (!sawAudio)
        {
            return answer.fail("no accepted m=audio");
        }
        if (answer.payloadType < 0 || answer.payloadType > 127)
        {
            return answer.fail("no payload type on m=audio");
        }
        if (answer.iceUfrag == null || answer.iceUfrag.isEmpty() || answer.icePwd == null || answer.icePwd.isEmpty())
        {
            return answer.fail("no ICE credentials");
        }
        if (answer.fingerprint == null || !answer.fingerprint.regionMatches(true, 0, "sha-256 ", 0, 8))
        {
            return answer.fail("no sha-256 fingerprint");
        }
        if (answer.setup != null && !"passive".equals(answer.setup))
        {
            // RFC 8842 5.3: we offered actpass and only play the DTLS client.
            return answer.fail("setup " + answer.setup + " (only passive is supported)");
        }
        if (answer.candidates.isEmpty() && connectionAddress != null && defaultPort > 0)
        {
            // RFC 8839 2: the default destination stands in when the answer lists no candidate.
            final InetAddress address = parseLiteral(connectionAddress);
            if (address != null && !address.isAnyLocalAddress())
            {
                answer.candidates.add(new InetSocketAddress(address, defaultPort));
            }
        }
        if (answer.candidates.isEmpty())
        {
            return answer.fail("no usable candidate");
        }
        return answer;
    }

    /**
     * RFC 8839 5.1: {@code foundation component transport priority address port "typ" type ...}. Only
     * UDP candidates of component 1 whose address is an IP literal are kept (mDNS names are not resolved).
     */
    static InetSocketAddress parseCandidate(final String value)
    {
        final String[] parts = value.split(" +");
        if (parts.length < 8 || !"1".equals(parts[1]) || !"udp".equalsIgnoreCase(parts[2]) || !"typ".equals(parts[6]))
        {
            return null;
        }
        final int port = parseInt(parts[5], -1);
        final InetAddress address = parseLiteral(parts[4]);
        if (port < 1 || port > 65535 || address == null)
        {
            return null;
        }
        return new InetSocketAddress(address, port);
    }

    /**
     * @param text an IPv4 or IPv6 literal.
     * @return the address, or null for anything else (never a DNS lookup).
     */
    static InetAddress parseLiteral(final String text)
    {
        if (text.isEmpty() || text.length() > 45)
        {
            return null;
        }
        boolean ipv6 = false;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == ':')
            {
                ipv6 = true;
            }
            else if (!(c >= '0' && c <= '9') && !(c == '.') &&
                !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F'))
            {
                return null;
            }
        }
        if (!ipv6)
        {
            for (int i = 0; i < text.length(); i++)
            {
                final char c = text.charAt(i);
                if (c != '.' && (c < '0' || c > '9'))
                {
                    return null;
                }
            }
        }
        try
        {
            return InetAddress.getByName(text); // a literal: parsed, not looked up
        }
        catch (final UnknownHostException ex)
        {
            return null;
        }
    }

    private static int parseInt(final String text, final int otherwise)
    {
        try
        {
            return Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            return otherwise;
        }
    }

    private static long parseLong(final String text, final long otherwise)
    {
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            return otherwise;
        }
    }

    private static void line(final StringBuilder out, final String line)
    {
        out.append(line).append(CRLF);
    }

    /**
     * What the client keeps of an answer.
     */
    static final class RemoteAnswer
    {
        boolean iceLite;
        String iceUfrag;
        String icePwd;
        String fingerprint;
        String setup;
        String mid;
        String proto;
        boolean rtcpMux;
        int payloadType = -1;
        String encoding;
        int clockRateHz = -1;
        long ssrc = -1;
        final List<InetSocketAddress> candidates = new ArrayList<>();
        private String error;

        /**
         * @return why the answer cannot be used, or null when it can.
         */
        String error()
        {
            return error;
        }

        RemoteAnswer fail(final String reason)
        {
            error = reason;
            return this;
        }
    }
}
