package dev.tandem.client;

import dev.tandem.sdp.AudioCodec;
import dev.tandem.sdp.DtlsSetup;
import dev.tandem.sdp.SdpAnswer;
import dev.tandem.sdp.SdpDirection;
import dev.tandem.sdp.SdpOffer;
import dev.tandem.sdp.SdpParser;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientSdpTest
{
    private static final String FINGERPRINT = "sha-256 " +
        "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
    private static final byte[] DIGEST = new byte[32];

    @Test
    void offerIsAcceptedByTheServersParser() throws Exception
    {
        final String sdp = ClientSdp.offer("uFrg", "0123456789abcdefghijklmn", FINGERPRINT, 305419896L, "cname1",
            4242, "stream1");
        final SdpOffer offer = SdpParser.parseOffer(sdp);
        assertEquals("uFrg", offer.iceUfrag());
        assertEquals("0123456789abcdefghijklmn", offer.icePwd());
        assertTrue(offer.iceTrickle());
        assertEquals(FINGERPRINT, offer.fingerprint().attributeValue());
        assertEquals(DtlsSetup.ACTPASS, offer.setup());
        assertEquals(SdpDirection.SENDRECV, offer.direction());
        assertEquals(List.of("0"), offer.bundleMids());
        assertEquals(305419896L, offer.remoteSsrc());
        assertEquals("cname1", offer.remoteCname());
        assertEquals(AudioCodec.Encoding.OPUS, offer.codec().encoding());
        assertEquals(111, offer.codec().payloadType());
        assertEquals(List.of("111", "0", "8"), offer.audio().formats());
        assertTrue(sdp.contains("a=fmtp:111 minptime=10;useinbandfec=1\r\n"));
        assertTrue(sdp.contains("a=rtcp-mux\r\n"));
    }

    @Test
    void answerOfTheServersBuilderParses() throws Exception
    {
        final SdpOffer offer = SdpParser.parseOffer(
            ClientSdp.offer("uFrg", "0123456789abcdefghijklmn", FINGERPRINT, 1, "c", 1, "s"));
        final InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 3478);
        final InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 3478);
        final InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000);
        final String sdp = new SdpAnswer.Builder()
            .iceUfrag("TOKEN+route/1")
            .icePwd("serverpasswordserverpass")
            .fingerprintSha256(DIGEST)
            .candidates(List.of(v4, v6, loopback))
            .ssrc(99)
            .cname("srv")
            .sessionId(7)
            .msid("tandem", "audio")
            .build(offer)
            .sdp();

        final ClientSdp.RemoteAnswer answer = ClientSdp.parseAnswer(sdp);
        assertNull(answer.error(), answer.error());
        assertTrue(answer.iceLite);
        assertEquals("TOKEN+route/1", answer.iceUfrag);
        assertEquals("serverpasswordserverpass", answer.icePwd);
        assertTrue(answer.fingerprint.startsWith("sha-256 00:00:00"), answer.fingerprint);
        assertEquals("passive", answer.setup);
        assertTrue(answer.rtcpMux);
        assertEquals("0", answer.mid);
        assertEquals(111, answer.payloadType);
        assertEquals("opus", answer.encoding);
        assertEquals(48_000, answer.clockRateHz);
        assertEquals(99, answer.ssrc);
        assertEquals(List.of(v4, v6, loopback), answer.candidates);

        final CallOptions options = new CallOptions();
        assertEquals(loopback, ClientSession.chooseCandidate(answer.candidates, options));
        assertEquals(v4, ClientSession.chooseCandidate(answer.candidates,
            options.candidatePolicy(CallOptions.CandidatePolicy.FIRST)));
        assertEquals(v6, ClientSession.chooseCandidate(List.of(v6, v4), options));
        assertEquals(v4, ClientSession.chooseCandidate(List.of(v6, v4),
            options.candidatePolicy(CallOptions.CandidatePolicy.PREFER_LOOPBACK)));
        assertEquals(v6, ClientSession.chooseCandidate(List.of(v4, v6),
            options.bindAddress(InetAddress.getByName("::"))));
        assertEquals(v6, ClientSession.chooseCandidate(List.of(v4), options.remoteAddress(v6)));
    }

    @Test
    void answerCandidatesSkipWhatCannotBeChecked()
    {
        assertNull(ClientSdp.parseCandidate("1 1 tcp 2130706431 192.0.2.1 9 typ host tcptype passive"));
        assertNull(ClientSdp.parseCandidate("1 2 udp 2130706431 192.0.2.1 3478 typ host"));
        assertNull(ClientSdp.parseCandidate("1 1 udp 2130706431 4d3c2b1a-xxxx.local 3478 typ host"));
        assertNull(ClientSdp.parseCandidate("1 1 udp 2130706431 192.0.2.1 70000 typ host"));
        assertNull(ClientSdp.parseCandidate("1 1 udp 2130706431 192.0.2.1"));
        assertEquals(new InetSocketAddress("192.0.2.1", 3478),
            ClientSdp.parseCandidate("1 1 UDP 2130706431 192.0.2.1 3478 typ host generation 0"));
        assertNull(ClientSdp.parseLiteral("example.com"));
        assertNull(ClientSdp.parseLiteral("cafe.be"));
        assertNull(ClientSdp.parseLiteral(""));
    }

    @Test
    void unusableAnswersSayWhy()
    {
        assertEquals("empty answer", ClientSdp.parseAnswer("").error());
        assertEquals("no accepted m=audio", ClientSdp.parseAnswer(
            "v=0\r\nm=audio 0 UDP/TLS/RTP/SAVPF 111\r\n").error());
        final String good = "v=0\r\na=ice-lite\r\nm=audio 3478 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 192.0.2.1\r\n" +
            "a=ice-ufrag:abcd\r\na=ice-pwd:0123456789012345678901\r\na=fingerprint:" + FINGERPRINT + "\r\n" +
            "a=setup:passive\r\na=rtpmap:111 opus/48000/2\r\n";
        final ClientSdp.RemoteAnswer viaDefault = ClientSdp.parseAnswer(good);
        assertNull(viaDefault.error());
        // RFC 8839 2: without candidates the c=/m= default destination is the one to check.
        assertEquals(List.of(new InetSocketAddress("192.0.2.1", 3478)), viaDefault.candidates);
        assertEquals("setup active (only passive is supported)",
            ClientSdp.parseAnswer(good.replace("setup:passive", "setup:active")).error());
        assertEquals("no ICE credentials", ClientSdp.parseAnswer(good.replace("a=ice-pwd", "a=x")).error());
        assertEquals("no sha-256 fingerprint",
            ClientSdp.parseAnswer(good.replace("a=fingerprint:sha-256", "a=fingerprint:sha-1")).error());
        assertEquals("no usable candidate",
            ClientSdp.parseAnswer(good.replace("IN IP4 192.0.2.1", "IN IP4 0.0.0.0")).error());
        assertEquals("no payload type on m=audio",
            ClientSdp.parseAnswer(good.replace("SAVPF 111", "SAVPF x")).error());
        assertFalse(ClientSdp.parseAnswer(good.replace("a=ice-lite\r\n", "")).iceLite);
        assertEquals("answer longer than 64 KiB", ClientSdp.parseAnswer("a".repeat(70_000)).error());
    }
}
