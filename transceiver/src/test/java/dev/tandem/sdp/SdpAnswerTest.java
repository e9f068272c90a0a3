package dev.tandem.sdp;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdpAnswerTest
{
    private static final String FINGERPRINT =
        "00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F";

    @Test
    void answersChromiumAudioAndDataChannelOfferLineByLine() throws SdpException
    {
        final SdpOffer offer = SdpParser.parseOffer(SdpFixtures.text("chromium-156-audio-datachannel.sdp"));
        final SdpAnswer answer = SdpFixtures.answerBuilder().build(offer);

        assertLines(answer.sdp(),
            "v=0",
            "o=- 42 1 IN IP4 0.0.0.0",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0",
            "a=ice-lite",
            "m=audio 3478 UDP/TLS/RTP/SAVPF 111",
            "c=IN IP4 203.0.113.7",
            "a=mid:0",
            "a=ice-ufrag:AAEBAgMEBQYHCAkK",
            "a=ice-pwd:0123456789abcdefghijkl",
            "a=fingerprint:sha-256 " + FINGERPRINT,
            "a=setup:passive",
            "a=candidate:1 1 udp 2130706431 203.0.113.7 3478 typ host",
            "a=candidate:2 1 udp 2130706175 2001:db8:0:0:0:0:0:7 3478 typ host",
            "a=end-of-candidates",
            "a=rtcp-mux",
            "a=sendrecv",
            "a=msid:tandem tandem-audio",
            "a=rtpmap:111 opus/48000/2",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=ssrc:305419896 cname:tandemcname",
            "m=application 0 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            "a=mid:1");
        assertEquals(AudioCodec.Encoding.OPUS, answer.codec().encoding());
        assertEquals(111, answer.codec().payloadType());
        assertEquals(SdpDirection.SENDRECV, answer.direction());
        assertEquals("0", answer.mid());
    }

    @Test
    void answersFirefoxOfferWithItsPayloadTypeAndMonoOpus() throws SdpException
    {
        final SdpOffer offer = SdpParser.parseOffer(SdpFixtures.text("firefox-153-audio-video-datachannel.sdp"));
        final SdpAnswer answer = SdpFixtures.answerBuilder().build(offer);

        assertLines(answer.sdp(),
            "v=0",
            "o=- 42 1 IN IP4 0.0.0.0",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0",
            "a=ice-lite",
            "m=audio 3478 UDP/TLS/RTP/SAVPF 109",
            "c=IN IP4 203.0.113.7",
            "a=mid:0",
            "a=ice-ufrag:AAEBAgMEBQYHCAkK",
            "a=ice-pwd:0123456789abcdefghijkl",
            "a=fingerprint:sha-256 " + FINGERPRINT,
            "a=setup:passive",
            "a=candidate:1 1 udp 2130706431 203.0.113.7 3478 typ host",
            "a=candidate:2 1 udp 2130706175 2001:db8:0:0:0:0:0:7 3478 typ host",
            "a=end-of-candidates",
            "a=rtcp-mux",
            "a=sendrecv",
            "a=msid:tandem tandem-audio",
            "a=rtpmap:109 opus/48000/2",
            "a=fmtp:109 minptime=10;useinbandfec=1",
            "a=ssrc:305419896 cname:tandemcname",
            "m=video 0 UDP/TLS/RTP/SAVPF 120",
            "c=IN IP4 0.0.0.0",
            "a=mid:1",
            "a=inactive",
            "m=application 0 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            "a=mid:2");
        assertFalse(answer.sdp().contains("stereo"), "Firefox asks for stereo=1; we answer mono");
    }

    @Test
    void answerHasOneMLinePerOfferedMLineInOrder() throws SdpException
    {
        for (final String fixture : List.of(
            "chromium-156-audio-video-datachannel.sdp", "firefox-153-audio-video-datachannel.sdp",
            "aiortc-1.4-audio-datachannel.sdp", "chromium-156-whip-sendonly-audio-video.sdp"))
        {
            final SdpOffer offer = SdpParser.parseOffer(SdpFixtures.text(fixture));
            final String answer = SdpFixtures.answerBuilder().build(offer).sdp();
            final List<String> mLines = answer.lines().filter((line) -> line.startsWith("m=")).toList();
            assertEquals(offer.mediaSections().size(), mLines.size(), fixture);
            for (int i = 0; i < mLines.size(); i++)
            {
                final MediaSection offered = offer.mediaSections().get(i);
                assertTrue(mLines.get(i).startsWith("m=" + offered.kind() + ' '), fixture + ": " + mLines.get(i));
                assertEquals(i == offer.audio().index(), !mLines.get(i).startsWith("m=" + offered.kind() + " 0 "),
                    fixture + ": only the audio m-line is accepted: " + mLines.get(i));
            }
            final List<String> groups = answer.lines().filter((line) -> line.startsWith("a=group:")).toList();
            assertEquals(List.of("a=group:BUNDLE " + offer.audio().mid()), groups, fixture);
        }
    }

    @Test
    void answersAiortcOldDataChannelSyntaxWithPortZero() throws SdpException
    {
        final SdpOffer offer = SdpParser.parseOffer(SdpFixtures.text("aiortc-1.4-audio-datachannel.sdp"));
        final String answer = SdpFixtures.answerBuilder().build(offer).sdp();
        assertTrue(answer.contains("\r\nm=audio 3478 UDP/TLS/RTP/SAVPF 96\r\n"), answer);
        assertTrue(answer.contains("\r\na=rtpmap:96 opus/48000/2\r\na=fmtp:96 minptime=10;useinbandfec=1\r\n"));
        assertTrue(answer.endsWith("\r\nm=application 0 DTLS/SCTP 5000\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\n"), answer);
    }

    @Test
    void answersSendonlyOfferRecvonlyWithoutAnnouncingAStream() throws SdpException
    {
        final SdpOffer offer = SdpParser.parseOffer(SdpFixtures.text("chromium-156-whip-sendonly-audio-video.sdp"));
        final SdpAnswer answer = SdpFixtures.answerBuilder().build(offer);
        assertEquals(SdpDirection.RECVONLY, answer.direction());
        assertTrue(answer.sdp().contains("\r\na=recvonly\r\n"));
        assertFalse(answer.sdp().contains("a=msid:"));
        assertFalse(answer.sdp().contains("a=ssrc:"));
        assertFalse(answer.sdp().contains("a=sendrecv"));
    }

    @Test
    void answersPcmuWithoutOpusParameters() throws SdpException
    {
        final String chromium = SdpFixtures.text("chromium-156-audio-datachannel.sdp");
        final SdpOffer offer = SdpParser.parseOffer(chromium.replace(
            "UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "UDP/TLS/RTP/SAVPF 0 8 126"));
        final String answer = SdpFixtures.answerBuilder().build(offer).sdp();
        assertTrue(answer.contains("\r\nm=audio 3478 UDP/TLS/RTP/SAVPF 0\r\n"));
        assertTrue(answer.contains("\r\na=rtpmap:0 PCMU/8000\r\n"));
        assertFalse(answer.contains("a=fmtp"));
    }

    @Test
    void offerWithoutBundleGetsNoGroupAndOfferWithoutMidGetsNoMid() throws SdpException
    {
        final String chromium = SdpFixtures.text("chromium-156-audio-datachannel.sdp");
        final SdpOffer offer = SdpParser.parseOffer(chromium
            .replace("a=group:BUNDLE 0 1\r\n", "").replace("a=mid:0\r\n", ""));
        final SdpAnswer answer = SdpFixtures.answerBuilder().build(offer);
        assertFalse(answer.sdp().contains("a=group"));
        assertFalse(answer.sdp().contains("a=mid:0"));
        assertTrue(answer.sdp().contains("a=mid:1"));
        assertEquals(null, answer.mid());
    }

    @Test
    void ipv6FirstCandidateGoesIntoTheConnectionLine() throws SdpException
    {
        final SdpOffer offer = SdpParser.parseOffer(SdpFixtures.text("chromium-156-audio-datachannel.sdp"));
        final String answer = new SdpAnswer.Builder()
            .iceUfrag(SdpFixtures.UFRAG).icePwd(SdpFixtures.PWD).fingerprintSha256(SdpFixtures.fingerprintDigest())
            .candidate(new InetSocketAddress("2001:db8::7", 3479))
            .candidate(new InetSocketAddress("2001:db8::7", 3480))
            .ssrc(0xFFFF_FFFFL).cname("c").sessionId(0)
            .build(offer).sdp();
        assertTrue(answer.contains("\r\nm=audio 3479 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP6 2001:db8:0:0:0:0:0:7\r\n"));
        // Same IP, same foundation (RFC 8445 5.1.1.3); falling local preference.
        assertTrue(answer.contains("a=candidate:1 1 udp 2130706431 2001:db8:0:0:0:0:0:7 3479 typ host\r\n"));
        assertTrue(answer.contains("a=candidate:1 1 udp 2130706175 2001:db8:0:0:0:0:0:7 3480 typ host\r\n"));
        assertTrue(answer.contains("a=ssrc:4294967295 cname:c\r\n"));
    }

    @Test
    void candidatePriorityFollowsRfc8445()
    {
        // RFC 8445 5.1.2.1 with type preference 126, local preference 65535, component 1.
        assertEquals(2130706431L, SdpAnswer.candidatePriority(126, 65535, 1));
        assertEquals((126L << 24) + (10L << 8) + 254, SdpAnswer.candidatePriority(126, 10, 2));
    }

    @Test
    void builderRefusesValuesThatWouldCorruptTheAnswer() throws SdpException
    {
        final SdpOffer offer = SdpParser.parseOffer(SdpFixtures.text("chromium-156-audio-datachannel.sdp"));
        final SdpAnswer.Builder builder = new SdpAnswer.Builder();
        assertThrows(IllegalArgumentException.class, () -> builder.iceUfrag("abc"));
        assertThrows(IllegalArgumentException.class, () -> builder.iceUfrag("abcd\r\na=evil"));
        assertThrows(IllegalArgumentException.class, () -> builder.icePwd("tooshort"));
        assertThrows(IllegalArgumentException.class, () -> builder.fingerprintSha256(new byte[20]));
        assertThrows(IllegalArgumentException.class, () -> builder.candidate(new InetSocketAddress("0.0.0.0", 3478)));
        assertThrows(IllegalArgumentException.class,
            () -> builder.candidate(InetSocketAddress.createUnresolved("relay.example", 3478)));
        assertThrows(IllegalArgumentException.class, () -> builder.ssrc(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> builder.cname("two words"));
        assertThrows(IllegalArgumentException.class, () -> builder.msid("a b", "c"));
        final IllegalStateException missing = assertThrows(IllegalStateException.class, () -> builder.build(offer));
        assertEquals("SdpAnswer.Builder: iceUfrag was not set", missing.getMessage());
    }

    @Test
    void fingerprintRoundTripsAndMatchesInConstantTime()
    {
        final Fingerprint fingerprint = Fingerprint.sha256(SdpFixtures.fingerprintDigest());
        assertEquals(FINGERPRINT, fingerprint.value());
        assertEquals("sha-256 " + FINGERPRINT, fingerprint.attributeValue());
        assertTrue(fingerprint.matches(SdpFixtures.fingerprintDigest()));
        assertFalse(fingerprint.matches(new byte[32]));
        assertEquals(fingerprint, Fingerprint.parse("SHA-256 " + FINGERPRINT.toLowerCase(Locale.ROOT)));
    }

    private static void assertLines(final String sdp, final String... expected)
    {
        assertTrue(sdp.endsWith("\r\n"), "CRLF after the last line");
        final String[] actual = sdp.split("\r\n", -1);
        for (int i = 0; i < Math.min(expected.length, actual.length - 1); i++)
        {
            assertEquals(expected[i], actual[i], "line " + (i + 1));
        }
        assertEquals(expected.length, actual.length - 1, "line count of\n" + sdp);
    }
}
