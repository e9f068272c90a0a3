package dev.tandem.srtp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Published vectors: RFC 7714 16 and 17 (AEAD_AES_128_GCM with the session key and salt given directly) and
 * libsrtp's own validation packets (srtp_driver.c, through the key derivation), on both crypto paths.
 */
class SrtpVectorTest
{
    private static final byte[] RFC7714_KEY = Hex.bytes("000102030405060708090a0b0c0d0e0f");
    private static final byte[] RFC7714_SALT = Hex.bytes("517569642070726f2071756f");
    private static final String RFC7714_RTP =
        "8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465" +
        "73207472 6573";
    private static final String RFC7714_SRTP =
        "8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b" +
        "36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce";
    private static final String RFC7714_RTCP =
        "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef deadbeef" +
        "deadbeef deadbeef";
    private static final String RFC7714_SRTCP =
        "81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda 4ce09b46" +
        "86303ded 0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade 800005d4";
    private static final String RFC7714_SRTCP_UNENCRYPTED =
        "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef deadbeef" +
        "deadbeef deadbeef 841dd968 3dd78ec9 2ae58790 125f62b3 000005d4";

    // libsrtp test/srtp_driver.c srtp_validate() and srtp_validate_gcm(): SSRC 0xcafebabe, sequence 0x1234.
    private static final String LIBSRTP_RTP =
        "800f1234 decafbad cafebabe abababab abababab abababab abababab";
    private static final String LIBSRTP_RTCP =
        "81c8000b cafebabe abababab abababab abababab abababab";

    @Test
    void everyJdkInternalRunsUnderTheProjectJvmOptions()
    {
        assertTrue(SrtpContext.jdkInternalsAvailable(), SrtpContext.implementation());
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void encryptsRfc7714Section16RtpPacket(final boolean jdkInternals)
    {
        final SrtpContext sender = rfc7714Context(jdkInternals);
        final byte[] packet = withTailroom(Hex.bytes(RFC7714_RTP));
        final int length = sender.protectRtp(packet, 0, Hex.bytes(RFC7714_RTP).length);
        assertEquals(Hex.string(Hex.bytes(RFC7714_SRTP)), Hex.string(packet, 0, length));
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void decryptsRfc7714Section16RtpPacket(final boolean jdkInternals)
    {
        final SrtpContext receiver = rfc7714Context(jdkInternals);
        final byte[] packet = Hex.bytes(RFC7714_SRTP);
        final int length = receiver.unprotectRtp(packet, 0, packet.length);
        assertEquals(Hex.string(Hex.bytes(RFC7714_RTP)), Hex.string(packet, 0, length));
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void encryptsRfc7714Section17SrtcpPacket(final boolean jdkInternals)
    {
        final SrtpContext sender = rfc7714Context(jdkInternals);
        sender.nextSrtcpIndex(0x4d617273, 0x5d4);
        final byte[] plain = Hex.bytes(RFC7714_RTCP);
        final byte[] packet = withTailroom(plain);
        final int length = sender.protectRtcp(packet, 0, plain.length);
        assertEquals(Hex.string(Hex.bytes(RFC7714_SRTCP)), Hex.string(packet, 0, length));
        assertEquals(0x5d5, sender.nextSrtcpIndex(0x4d617273));
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void decryptsRfc7714Section17SrtcpPacket(final boolean jdkInternals)
    {
        final SrtpContext receiver = rfc7714Context(jdkInternals);
        final byte[] packet = Hex.bytes(RFC7714_SRTCP);
        final int length = receiver.unprotectRtcp(packet, 0, packet.length);
        assertEquals(Hex.string(Hex.bytes(RFC7714_RTCP)), Hex.string(packet, 0, length));
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void verifiesRfc7714Section17UnencryptedSrtcpPacket(final boolean jdkInternals)
    {
        final SrtpContext receiver = rfc7714Context(jdkInternals);
        final byte[] packet = Hex.bytes(RFC7714_SRTCP_UNENCRYPTED);
        final int length = receiver.unprotectRtcp(packet, 0, packet.length);
        assertEquals(Hex.string(Hex.bytes(RFC7714_RTCP)), Hex.string(packet, 0, length));

        final byte[] forged = Hex.bytes(RFC7714_SRTCP_UNENCRYPTED);
        forged[20] ^= 1;
        assertEquals(SrtpStatus.AUTH_FAILED, rfc7714Context(jdkInternals).unprotectRtcp(forged, 0, forged.length));
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void matchesLibsrtpAesCmValidationPacket(final boolean jdkInternals)
    {
        final byte[] key = Hex.bytes("e1f97a0d3e018be0d64fa32c06de4139");
        final byte[] salt = Hex.bytes("0ec675ad498afeebb6960b3aabe6");
        final String expected = "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb";
        final SrtpContext sender = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, key, salt, 4, jdkInternals);
        final byte[] plain = Hex.bytes(LIBSRTP_RTP);
        final byte[] packet = withTailroom(plain);
        assertEquals(expected, Hex.string(packet, 0, sender.protectRtp(packet, 0, plain.length)));

        final SrtpContext receiver = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, key, salt, 4, jdkInternals);
        final byte[] wire = Hex.bytes(expected);
        assertEquals(Hex.string(plain), Hex.string(wire, 0, receiver.unprotectRtp(wire, 0, wire.length)));
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void matchesLibsrtpGcmValidationPacketsThroughTheTwelveByteSaltKdf(final boolean jdkInternals)
    {
        final byte[] key = Hex.bytes("000102030405060708090a0b0c0d0e0f");
        final byte[] salt = Hex.bytes("a0a1a2a3a4a5a6a7a8a9aaab");
        final String expectedRtp =
            "800f1234decafbadcafebabec5002ede04cfdd2eb91159e0880aa06ed2976826f796b201df3131a127e8a392";
        final String expectedRtcp =
            "81c8000bcafebabec98b8b5df0392a55852b6c21ac8e7025c52c6fbea2b3b446ea31123ba88ce61e80000001";
        final SrtpContext sender = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, key, salt, 4, jdkInternals);
        final byte[] rtp = Hex.bytes(LIBSRTP_RTP);
        final byte[] packet = withTailroom(rtp);
        assertEquals(expectedRtp, Hex.string(packet, 0, sender.protectRtp(packet, 0, rtp.length)));

        // libsrtp numbers its first SRTCP packet 1; Tandem starts at 0 as RFC 3711 3.3.2 says.
        sender.nextSrtcpIndex(0xcafebabe, 1);
        final byte[] rtcp = Hex.bytes(LIBSRTP_RTCP);
        final byte[] control = withTailroom(rtcp);
        assertEquals(expectedRtcp, Hex.string(control, 0, sender.protectRtcp(control, 0, rtcp.length)));

        final SrtpContext receiver = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, key, salt, 4, jdkInternals);
        final byte[] wire = Hex.bytes(expectedRtp);
        assertEquals(Hex.string(rtp), Hex.string(wire, 0, receiver.unprotectRtp(wire, 0, wire.length)));
        final byte[] wireRtcp = Hex.bytes(expectedRtcp);
        assertEquals(Hex.string(rtcp), Hex.string(wireRtcp, 0, receiver.unprotectRtcp(wireRtcp, 0, wireRtcp.length)));
    }

    private static SrtpContext rfc7714Context(final boolean jdkInternals)
    {
        return new SrtpContext(
            SrtpProfile.AEAD_AES_128_GCM,
            new GcmTransform(RFC7714_KEY, RFC7714_SALT, RFC7714_KEY, RFC7714_SALT, jdkInternals),
            4);
    }

    private static byte[] withTailroom(final byte[] packet)
    {
        return Arrays.copyOf(packet, packet.length + SrtpContext.MAX_TRAILER);
    }
}
