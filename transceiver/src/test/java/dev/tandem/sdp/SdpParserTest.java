package dev.tandem.sdp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdpParserTest
{
    @Test
    void parsesChromiumAudioAndDataChannelOffer() throws SdpException
    {
        final SdpOffer offer = SdpParser.parseOffer(SdpFixtures.text("chromium-156-audio-datachannel.sdp"));

        assertEquals(2, offer.mediaSections().size());
        final MediaSection audio = offer.audio();
        assertEquals(0, audio.index());
        assertEquals("audio", audio.kind());
        assertEquals("0", audio.mid());
        assertEquals(35200, audio.port());
        assertEquals("UDP/TLS/RTP/SAVPF", audio.proto());
        assertEquals(List.of("111", "63", "9", "0", "8", "13", "110", "126"), audio.formats());

        assertEquals(AudioCodec.Encoding.OPUS, offer.codec().encoding());
        assertEquals(111, offer.codec().payloadType());
        assertEquals("minptime=10;useinbandfec=1", offer.codec().offeredFmtp());

        assertEquals("SNJH", offer.iceUfrag());
        assertEquals("CuBL0tnxKsyiQePwK7DHNw89", offer.icePwd());
        assertTrue(offer.iceTrickle());
        assertEquals("sha-256", offer.fingerprint().algorithm());
        assertEquals("FE:95:D1:47:55:67:4B:50:85:B3:EE:0C:71:64:3B:9E:65:30:B9:B6:32:8D:59:FD:D8:B6:E2:F3:65:B2:0E:74",
            offer.fingerprint().value());
        assertEquals(32, offer.fingerprint().digest().length);
        assertEquals((byte)0xFE, offer.fingerprint().digest()[0]);
        assertEquals(DtlsSetup.ACTPASS, offer.setup());
        assertEquals(SdpDirection.SENDRECV, offer.direction());
        assertEquals(List.of("0", "1"), offer.bundleMids());
        assertEquals(476382855L, offer.remoteSsrc());
        assertEquals("7HcJF6OijvfcLIA/", offer.remoteCname());

        final MediaSection dataChannel = offer.mediaSections().get(1);
        assertTrue(dataChannel.isDataChannel());
        assertFalse(dataChannel.isRtp());
        assertEquals("1", dataChannel.mid());
        assertEquals("UDP/DTLS/SCTP", dataChannel.proto());
        assertEquals(List.of("webrtc-datachannel"), dataChannel.formats());
    }

    @Test
    void parsesFirefoxOfferWithSessionLevelFingerprintAndDirection() throws SdpException
    {
        final SdpOffer offer = SdpParser.parseOffer(SdpFixtures.text("firefox-153-audio-datachannel.sdp"));

        assertEquals(2, offer.mediaSections().size());
        assertEquals("0", offer.audio().mid());
        assertEquals(9, offer.audio().port());
        assertEquals(AudioCodec.Encoding.OPUS, offer.codec().encoding());
        assertEquals(109, offer.codec().payloadType());
        assertEquals("maxplaybackrate=48000;stereo=1;useinbandfec=1", offer.codec().offeredFmtp());
        assertEquals("6a2d527b", offer.iceUfrag());
        assertEquals("2a74de9dedad06c7237f175f11df873a", offer.icePwd());
        assertTrue(offer.iceTrickle(), "a=ice-options:trickle is at session level in Firefox offers");
        assertEquals("3D:FF:9F:D3:C3:0D:92:E0:1F:F3:C7:8C:F7:A4:1E:87:30:9B:23:63:A4:BD:6E:0E:83:02:9C:6E:22:E1:19:64",
            offer.fingerprint().value());
        assertEquals(DtlsSetup.ACTPASS, offer.setup());
        assertEquals(SdpDirection.SENDRECV, offer.direction());
        assertEquals(List.of("0", "1"), offer.bundleMids());
        assertEquals(3627805471L, offer.remoteSsrc(), "an SSRC above 2^31 stays unsigned");
        assertEquals("{69b98d5c-f03a-4f92-baa6-be4ebab3aecf}", offer.remoteCname());
        assertTrue(offer.mediaSections().get(1).isDataChannel());
    }

    @Test
    void parsesAiortcOfferWithPerSectionCredentialsAndOldDataChannelSyntax() throws SdpException
    {
        final SdpOffer offer = SdpParser.parseOffer(SdpFixtures.text("aiortc-1.4-audio-datachannel.sdp"));

        assertEquals(96, offer.codec().payloadType());
        assertEquals("", offer.codec().offeredFmtp());
        assertEquals("gw6w", offer.iceUfrag(), "the audio m-line's own ufrag wins over the data channel's");
        assertEquals("afYDYRdicltbIxil6g26rZ", offer.icePwd());
        assertFalse(offer.iceTrickle());
        assertEquals(4122105994L, offer.remoteSsrc());
        final MediaSection dataChannel = offer.mediaSections().get(1);
        assertEquals("DTLS/SCTP", dataChannel.proto());
        assertEquals(List.of("5000"), dataChannel.formats());
        assertTrue(dataChannel.isDataChannel());
    }

    @Test
    void parsesWhipStyleSendonlyOffer() throws SdpException
    {
        final SdpOffer offer = SdpParser.parseOffer(SdpFixtures.text("chromium-156-whip-sendonly-audio-video.sdp"));

        assertEquals(SdpDirection.SENDONLY, offer.direction());
        assertEquals(SdpDirection.RECVONLY, offer.direction().answer());
        assertEquals(2, offer.mediaSections().size());
        assertEquals("video", offer.mediaSections().get(1).kind());
        assertEquals(3828030421L, offer.remoteSsrc());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "chromium-156-audio-datachannel.sdp",
        "chromium-156-audio-datachannel-no-candidates.sdp",
        "chromium-156-audio-video-datachannel.sdp",
        "chromium-156-whip-sendonly-audio-video.sdp",
        "firefox-153-audio-datachannel.sdp",
        "firefox-153-audio-datachannel-no-candidates.sdp",
        "firefox-153-audio-video-datachannel.sdp",
        "aiortc-1.4-audio-datachannel.sdp" })
    void everyRealOfferParsesTheSameWithCrlfOrLf(final String fixture) throws SdpException
    {
        final String crlf = SdpFixtures.text(fixture);
        assertTrue(crlf.contains("\r\n"));
        final SdpOffer withCrlf = SdpParser.parseOffer(crlf);
        final SdpOffer withLf = SdpParser.parseOffer(crlf.replace("\r\n", "\n"));

        assertEquals(withCrlf.toString(), withLf.toString());
        assertEquals(withCrlf.iceUfrag(), withLf.iceUfrag());
        assertEquals(withCrlf.fingerprint(), withLf.fingerprint());
        assertEquals(AudioCodec.Encoding.OPUS, withCrlf.codec().encoding());
        assertEquals("audio", withCrlf.audio().kind());
        assertEquals(0, withCrlf.audio().index());
    }

    @ParameterizedTest
    @CsvSource({
        "reject-no-audio.sdp,               NO_AUDIO,              0",
        "reject-no-supported-codec.sdp,     NO_SUPPORTED_CODEC,    8",
        "reject-no-ice-credentials.sdp,     NO_ICE_CREDENTIALS,    8",
        "reject-no-sha256-fingerprint.sdp,  NO_SHA256_FINGERPRINT, 8",
        "reject-no-rtcp-mux.sdp,            NO_RTCP_MUX,           8",
        "reject-malformed-line-10.sdp,      MALFORMED,             10",
        "reject-setup-passive.sdp,          UNSUPPORTED_SETUP,     8",
        "reject-peer-ice-lite.sdp,          PEER_ICE_LITE,         0" })
    void rejectsEachMalformedFixtureWithItsReason(final String fixture, final SdpRejectReason reason, final int line)
    {
        final SdpException ex = assertThrows(SdpException.class,
            () -> SdpParser.parseOffer(SdpFixtures.text(fixture)));
        assertEquals(reason, ex.reason(), ex.getMessage());
        assertEquals(line, ex.lineNumber(), ex.getMessage());
    }

    @Test
    void rejectionMessagesSayWhatIsMissing()
    {
        assertEquals("the offer has no audio m-line", reject("reject-no-audio.sdp").getMessage());
        assertEquals("line 8: no supported audio codec (opus/48000/2, PCMU/8000 or PCMA/8000) among: " +
            "G722, CN, telephone-event", reject("reject-no-supported-codec.sdp").getMessage());
        assertEquals("line 8: the offer has no sha-256 fingerprint, only sha-1",
            reject("reject-no-sha256-fingerprint.sdp").getMessage());
        assertEquals("line 10: expected <type>=<value>, got 'a rtcp 9 IN IP4 0.0.0.0'",
            reject("reject-malformed-line-10.sdp").getMessage());
        assertTrue(reject("reject-no-ice-credentials.sdp").getMessage().contains("a=ice-ufrag"));
    }

    @Test
    void rejectsOfferOverTheLengthLimitBeforeReadingIt()
    {
        final byte[] offer = SdpFixtures.bytes("chromium-156-audio-datachannel.sdp");
        final SdpException ex = assertThrows(SdpException.class,
            () -> SdpParser.parseOffer(offer, 0, offer.length, offer.length - 1));
        assertEquals(SdpRejectReason.TOO_LARGE, ex.reason());

        final StringBuilder huge = new StringBuilder(SdpFixtures.text("chromium-156-audio-datachannel.sdp"));
        while (huge.length() <= SdpParser.DEFAULT_MAX_LENGTH_BYTES)
        {
            huge.append("a=x-padding:0123456789012345678901234567890123456789\r\n");
        }
        assertEquals(SdpRejectReason.TOO_LARGE,
            assertThrows(SdpException.class, () -> SdpParser.parseOffer(huge.toString())).reason());
    }

    @Test
    void fallsBackToPcmuThenPcma() throws SdpException
    {
        final String chromium = SdpFixtures.text("chromium-156-audio-datachannel.sdp");
        final SdpOffer pcmu = SdpParser.parseOffer(chromium.replace(
            "UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "UDP/TLS/RTP/SAVPF 9 8 0 126"));
        assertEquals(AudioCodec.Encoding.PCMU, pcmu.codec().encoding());
        assertEquals(0, pcmu.codec().payloadType());

        final SdpOffer pcma = SdpParser.parseOffer(chromium.replace(
            "UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "UDP/TLS/RTP/SAVPF 8 126"));
        assertEquals(AudioCodec.Encoding.PCMA, pcma.codec().encoding());
        assertEquals("PCMA/8000", pcma.codec().rtpmap());

        // RFC 7587 7: Opus is always opus/48000/2; anything else is not the Opus we know.
        final SdpOffer notOpus = SdpParser.parseOffer(
            chromium.replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 opus/48000/1"));
        assertEquals(AudioCodec.Encoding.PCMU, notOpus.codec().encoding());

        // A static payload type needs no rtpmap (RFC 3551 6).
        final SdpOffer staticPcmu = SdpParser.parseOffer(chromium
            .replace("UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "UDP/TLS/RTP/SAVPF 0")
            .replace("a=rtpmap:0 PCMU/8000\r\n", ""));
        assertEquals(AudioCodec.Encoding.PCMU, staticPcmu.codec().encoding());
    }

    @Test
    void skipsDisabledAudioAndRejectsWhenNoneIsLeft() throws SdpException
    {
        final String chromium = SdpFixtures.text("chromium-156-audio-datachannel.sdp");
        final SdpException disabled = assertThrows(SdpException.class,
            () -> SdpParser.parseOffer(chromium.replace("m=audio 35200 ", "m=audio 0 ")));
        assertEquals(SdpRejectReason.NO_AUDIO, disabled.reason());
        assertEquals("the audio m-line is disabled (port 0)", disabled.getMessage());

        final SdpOffer bundleOnly = SdpParser.parseOffer(chromium
            .replace("m=audio 35200 ", "m=audio 0 ").replace("a=mid:0\r\n", "a=mid:0\r\na=bundle-only\r\n"));
        assertTrue(bundleOnly.audio().bundleOnly(), "port 0 with bundle-only is enabled (RFC 8843 6)");

        final SdpException plainRtp = assertThrows(SdpException.class,
            () -> SdpParser.parseOffer(chromium.replace("m=audio 35200 UDP/TLS/RTP/SAVPF", "m=audio 35200 RTP/AVP")));
        assertEquals(SdpRejectReason.NO_AUDIO, plainRtp.reason());
    }

    @Test
    void bundledAudioInheritsTransportFromTheTaggedSection() throws SdpException
    {
        // RFC 8843 7.1.3: a bundle-only m-line carries no transport attributes; they come from the tagged one.
        final String offer = String.join("\r\n",
            "v=0",
            "o=- 1 1 IN IP4 0.0.0.0",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 1 0",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            "a=mid:1",
            "a=ice-ufrag:tagu",
            "a=ice-pwd:taggedpasswordtaggedpassword",
            "a=fingerprint:sha-256 " + Fingerprint.format(SdpFixtures.fingerprintDigest()),
            "a=setup:active",
            "a=rtcp-mux",
            "m=audio 0 UDP/TLS/RTP/SAVPF 111",
            "c=IN IP4 0.0.0.0",
            "a=mid:0",
            "a=bundle-only",
            "a=rtpmap:111 opus/48000/2",
            "");
        final SdpOffer parsed = SdpParser.parseOffer(offer);
        assertEquals(1, parsed.audio().index());
        assertEquals("tagu", parsed.iceUfrag());
        assertEquals(DtlsSetup.ACTIVE, parsed.setup());
        assertEquals(List.of("1", "0"), parsed.bundleMids());
        assertEquals(-1, parsed.remoteSsrc());
        assertNull(parsed.remoteCname());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a=ice-ufrag:SNJH|a=ice-ufrag:abc|MALFORMED",
        "a=ice-ufrag:SNJH|a=ice-ufrag:ab-cd|MALFORMED",
        "a=ice-pwd:CuBL0tnxKsyiQePwK7DHNw89|a=ice-pwd:short|MALFORMED",
        "a=setup:actpass|a=setup:sideways|MALFORMED",
        "a=setup:actpass|a=setup:holdconn|UNSUPPORTED_SETUP",
        "a=rtpmap:111 opus/48000/2|a=rtpmap:111 opus|MALFORMED",
        "a=rtpmap:111 opus/48000/2|a=rtpmap:300 opus/48000/2|MALFORMED",
        "a=mid:0|a=mid:bad\"mid|MALFORMED",
        "a=ssrc:476382855 cname:7HcJF6OijvfcLIA/|a=ssrc:4294967296 cname:x|MALFORMED",
        "m=audio 35200|m=audio 70000|MALFORMED",
        "m=audio 35200 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126|m=audio 35200 UDP/TLS/RTP/SAVPF|MALFORMED",
        "v=0|v=1|MALFORMED",
        "a=fingerprint:sha-256 FE:95|a=fingerprint:sha-256 FE:95:D1|MALFORMED",
        "a=fingerprint:sha-256 FE:95:D1:47:55:67:4B:50|a=fingerprint:sha-256 ZZ:95:D1:47:55:67:4B:50|MALFORMED" })
    void rejectsBadValuesWhereWeRelyOnThem(final String from, final String to, final SdpRejectReason reason)
    {
        final String chromium = SdpFixtures.text("chromium-156-audio-datachannel.sdp");
        assertTrue(chromium.contains(from), from);
        final SdpException ex = assertThrows(SdpException.class,
            () -> SdpParser.parseOffer(chromium.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to))));
        assertEquals(reason, ex.reason(), ex.getMessage());
    }

    @Test
    void toleratesBlankLinesTrailingSpaceAndUnknownAttributes() throws SdpException
    {
        final String chromium = SdpFixtures.text("chromium-156-audio-datachannel.sdp");
        final SdpOffer offer = SdpParser.parseOffer(chromium
            .replace("a=rtcp-mux\r\n", "a=rtcp-mux  \r\n\r\na=x-unknown-thing:42\r\nz=0 0\r\n") + "\r\n\r\n");
        assertEquals("SNJH", offer.iceUfrag());
    }

    @Test
    void rejectsControlCharactersAndEmptyOffers()
    {
        final String chromium = SdpFixtures.text("chromium-156-audio-datachannel.sdp");
        final SdpException nul = assertThrows(SdpException.class,
            () -> SdpParser.parseOffer(chromium.replace("s=-", "s=\0")));
        assertEquals(SdpRejectReason.MALFORMED, nul.reason());
        assertEquals(3, nul.lineNumber());

        assertEquals(SdpRejectReason.MALFORMED,
            assertThrows(SdpException.class, () -> SdpParser.parseOffer("")).reason());
        assertEquals(SdpRejectReason.MALFORMED,
            assertThrows(SdpException.class, () -> SdpParser.parseOffer("\r\n\r\n")).reason());
        assertEquals(SdpRejectReason.NO_AUDIO,
            assertThrows(SdpException.class, () -> SdpParser.parseOffer("v=0\r\n")).reason());
    }

    @Test
    void rejectsTooManyMediaSections()
    {
        final StringBuilder offer = new StringBuilder("v=0\r\n");
        for (int i = 0; i <= SdpParser.MAX_MEDIA_SECTIONS; i++)
        {
            offer.append("m=video 9 UDP/TLS/RTP/SAVPF 96\r\n");
        }
        assertEquals(SdpRejectReason.TOO_LARGE,
            assertThrows(SdpException.class, () -> SdpParser.parseOffer(offer.toString())).reason());
    }

    @Test
    void hostileMutationsOnlyEverRaiseSdpException()
    {
        // Random flips, cuts, splices and invalid UTF-8 over every real offer: the parser must either accept or say
        // why not; any other exception fails the test. Seeded, so a failure replays.
        final String[] fixtures = {
            "chromium-156-audio-datachannel.sdp", "chromium-156-audio-video-datachannel.sdp",
            "firefox-153-audio-datachannel.sdp", "aiortc-1.4-audio-datachannel.sdp" };
        final byte[] alphabet = " :=/\r\n\0\u00ffam0123456789-".getBytes(StandardCharsets.ISO_8859_1);
        final Random random = new Random(20261121L);
        int accepted = 0;
        int rejected = 0;
        for (int round = 0; round < 4000; round++)
        {
            final byte[] original = SdpFixtures.bytes(fixtures[round % fixtures.length]);
            byte[] mutated = original.clone();
            final int edits = 1 + random.nextInt(8);
            for (int e = 0; e < edits; e++)
            {
                final int at = random.nextInt(mutated.length);
                switch (random.nextInt(4))
                {
                    case 0:
                        mutated[at] = alphabet[random.nextInt(alphabet.length)];
                        break;
                    case 1:
                        mutated[at] = (byte)random.nextInt(256);
                        break;
                    case 2:
                        mutated = Arrays.copyOf(mutated, Math.max(1, at));
                        break;
                    default:
                        final int from = random.nextInt(original.length);
                        final int length = Math.min(random.nextInt(200), Math.min(original.length - from,
                            mutated.length - at));
                        System.arraycopy(original, from, mutated, at, length);
                        break;
                }
            }
            try
            {
                final SdpOffer offer = SdpParser.parseOffer(mutated, 0, mutated.length, 64 * 1024);
                final String answer = SdpFixtures.answerBuilder().build(offer).sdp();
                assertTrue(answer.startsWith("v=0\r\n") && answer.endsWith("\r\n"));
                for (final String line : answer.split("\r\n"))
                {
                    assertTrue(line.length() >= 2 && line.charAt(1) == '=', "answer line '" + line + "'");
                    for (int i = 0; i < line.length(); i++)
                    {
                        assertTrue(line.charAt(i) >= 0x20 && line.charAt(i) < 0x7F, "answer line '" + line + "'");
                    }
                }
                accepted++;
            }
            catch (final SdpException expected)
            {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
                rejected++;
            }
        }
        assertTrue(accepted > 100 && rejected > 100, "accepted " + accepted + ", rejected " + rejected);
    }

    private static SdpException reject(final String fixture)
    {
        return assertThrows(SdpException.class, () -> SdpParser.parseOffer(SdpFixtures.text(fixture)));
    }
}
