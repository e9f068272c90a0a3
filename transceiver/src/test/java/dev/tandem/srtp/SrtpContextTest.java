package dev.tandem.srtp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SrtpContextTest
{
    private static final int SSRC = 0x5EED_0001;
    private static final int BUFFER_LENGTH = 256;

    static Stream<Arguments> profilesAndPaths()
    {
        return Stream.of(
            Arguments.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, true),
            Arguments.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, false),
            Arguments.of(SrtpProfile.AEAD_AES_128_GCM, true),
            Arguments.of(SrtpProfile.AEAD_AES_128_GCM, false));
    }

    @ParameterizedTest
    @MethodSource("profilesAndPaths")
    void roundTripsRtpAndLeavesTheHeaderInClear(final SrtpProfile profile, final boolean jdkInternals)
    {
        final SrtpContext sender = context(profile, jdkInternals);
        final SrtpContext receiver = context(profile, jdkInternals);
        final byte[] plain = rtp(SSRC, 1000, 160, 0);
        final byte[] packet = Arrays.copyOf(plain, BUFFER_LENGTH);

        final int srtpLength = sender.protectRtp(packet, 0, plain.length);
        assertEquals(plain.length + profile.rtpTrailerLength(), srtpLength);
        assertArrayEquals(Arrays.copyOf(plain, 12), Arrays.copyOf(packet, 12));
        assertFalse(Arrays.equals(plain, Arrays.copyOf(packet, plain.length)), "payload encrypted");

        assertEquals(plain.length, receiver.unprotectRtp(packet, 0, srtpLength));
        assertArrayEquals(plain, Arrays.copyOf(packet, plain.length));
        assertEquals(1, receiver.statusCount(SrtpStatus.OK));
    }

    @ParameterizedTest
    @MethodSource("profilesAndPaths")
    void worksAtAnOffsetInsideALargerArray(final SrtpProfile profile, final boolean jdkInternals)
    {
        final SrtpContext sender = context(profile, jdkInternals);
        final SrtpContext receiver = context(profile, jdkInternals);
        final byte[] plain = rtp(SSRC, 7, 33, 0);
        final byte[] packet = new byte[BUFFER_LENGTH];
        Arrays.fill(packet, (byte)0x5A);
        System.arraycopy(plain, 0, packet, 41, plain.length);
        final int srtpLength = sender.protectRtp(packet, 41, plain.length);
        assertEquals(0x5A, packet[40]);
        assertEquals(0x5A, packet[41 + srtpLength]);
        assertEquals(plain.length, receiver.unprotectRtp(packet, 41, srtpLength));
        assertArrayEquals(plain, Arrays.copyOfRange(packet, 41, 41 + plain.length));
    }

    @ParameterizedTest
    @MethodSource("profilesAndPaths")
    void rejectsTheSamePacketTwiceAsReplayed(final SrtpProfile profile, final boolean jdkInternals)
    {
        final SrtpContext sender = context(profile, jdkInternals);
        final SrtpContext receiver = context(profile, jdkInternals);
        final byte[] srtp = protect(sender, rtp(SSRC, 500, 40, 0));

        assertEquals(52, receiver.unprotectRtp(srtp.clone(), 0, srtp.length));
        final byte[] again = srtp.clone();
        assertEquals(SrtpStatus.REPLAYED, receiver.unprotectRtp(again, 0, again.length));
        assertArrayEquals(srtp, again, "a refused packet is left as it was");
        assertEquals(1, receiver.statusCount(SrtpStatus.REPLAYED));
    }

    @ParameterizedTest
    @MethodSource("profilesAndPaths")
    void rejectsPacketsOlderThanTheWindowAndAcceptsUnseenOnesInside(
        final SrtpProfile profile, final boolean jdkInternals)
    {
        final SrtpContext sender = context(profile, jdkInternals);
        final SrtpContext receiver = context(profile, jdkInternals);
        final byte[][] srtp = new byte[300][];
        for (int i = 0; i < srtp.length; i++)
        {
            srtp[i] = protect(sender, rtp(SSRC, 1000 + i, 20, 0));
        }
        assertEquals(32, unprotect(receiver, srtp[0]));
        assertEquals(32, unprotect(receiver, srtp[SrtpContext.REPLAY_WINDOW]));
        // Sequence 1000 is exactly one window behind: too old; 1001 was never seen and is inside: accepted.
        assertEquals(SrtpStatus.TOO_OLD, unprotect(receiver, srtp[0]));
        assertEquals(32, unprotect(receiver, srtp[1]));
        assertEquals(SrtpStatus.REPLAYED, unprotect(receiver, srtp[1]));
        // A jump of more than a window clears it; the skipped packets inside the new window are still welcome.
        assertEquals(32, unprotect(receiver, srtp[299]));
        assertEquals(SrtpStatus.TOO_OLD, unprotect(receiver, srtp[299 - SrtpContext.REPLAY_WINDOW]));
        assertEquals(32, unprotect(receiver, srtp[299 - SrtpContext.REPLAY_WINDOW + 1]));
        assertEquals(32, unprotect(receiver, srtp[250]));
        assertEquals(SrtpStatus.REPLAYED, unprotect(receiver, srtp[250]));
    }

    @ParameterizedTest
    @MethodSource("profilesAndPaths")
    void refusesToProtectTheSameSequenceNumberTwice(final SrtpProfile profile, final boolean jdkInternals)
    {
        final SrtpContext sender = context(profile, jdkInternals);
        protect(sender, rtp(SSRC, 9, 20, 0));
        final byte[] packet = Arrays.copyOf(rtp(SSRC, 9, 20, 0), BUFFER_LENGTH);
        assertEquals(SrtpStatus.REPLAYED, sender.protectRtp(packet, 0, 32));
        assertArrayEquals(rtp(SSRC, 9, 20, 0), Arrays.copyOf(packet, 32), "nothing encrypted with a reused index");
    }

    @ParameterizedTest
    @MethodSource("profilesAndPaths")
    void anyFlippedByteFailsAuthenticationAndChangesNothing(final SrtpProfile profile, final boolean jdkInternals)
    {
        final SrtpContext sender = context(profile, jdkInternals);
        final SrtpContext receiver = context(profile, jdkInternals);
        // 0xFC08 received, then 0xFC0A: a flipped sequence bit gives 0xFD0A or 0xFC0B, both unseen, so the
        // replay check lets them through to the tag check.
        final byte[] plainFirst = rtpWithCsrcsAndExtension(SSRC, 0xFC08, 30);
        final byte[] plainSecond = rtpWithCsrcsAndExtension(SSRC, 0xFC0A, 30);
        final byte[] first = protect(sender, plainFirst);
        final byte[] second = protect(sender, plainSecond);
        assertEquals(plainFirst.length, unprotect(receiver, first.clone()));

        int authFailures = 0;
        for (int i = 0; i < second.length; i++)
        {
            final byte[] tampered = second.clone();
            tampered[i] ^= 0x01;
            final byte[] before = tampered.clone();
            // A flip in the CC or extension length may make the header unparseable: refused before the tag.
            final int headerCheck = SrtpContext.rtpHeaderLength(
                tampered, 0, tampered.length - profile.rtpTrailerLength());
            final int expected = headerCheck < 0 ? headerCheck : SrtpStatus.AUTH_FAILED;
            authFailures += expected == SrtpStatus.AUTH_FAILED ? 1 : 0;
            assertEquals(expected, receiver.unprotectRtp(tampered, 0, tampered.length), "byte " + i);
            assertArrayEquals(before, tampered, "packet untouched after a failure at byte " + i);
        }
        assertTrue(authFailures >= second.length - 3, "only the CC and extension length bytes may fail parsing");
        assertEquals(authFailures, receiver.statusCount(SrtpStatus.AUTH_FAILED));
        assertEquals(1, receiver.statusCount(SrtpStatus.OK));
        assertEquals(1, receiver.ssrcCount());

        final byte[] genuine = second.clone();
        assertEquals(plainSecond.length, receiver.unprotectRtp(genuine, 0, genuine.length));
        assertArrayEquals(plainSecond, Arrays.copyOf(genuine, plainSecond.length));
    }

    @ParameterizedTest
    @MethodSource("profilesAndPaths")
    void anyFlippedSrtcpByteFailsAuthenticationAndChangesNothing(
        final SrtpProfile profile, final boolean jdkInternals)
    {
        final SrtpContext sender = context(profile, jdkInternals);
        final SrtpContext receiver = context(profile, jdkInternals);
        final byte[] plain = rtcp(SSRC, 24);
        final byte[] srtcp = protectRtcp(sender, plain);
        for (int i = 0; i < srtcp.length; i++)
        {
            final byte[] tampered = srtcp.clone();
            tampered[i] ^= 0x01;
            final byte[] before = tampered.clone();
            assertEquals(SrtpStatus.AUTH_FAILED, receiver.unprotectRtcp(tampered, 0, tampered.length), "byte " + i);
            assertArrayEquals(before, tampered);
        }
        assertEquals(0, receiver.ssrcCount(), "no state from unauthenticated packets");
        final byte[] genuine = srtcp.clone();
        assertEquals(plain.length, receiver.unprotectRtcp(genuine, 0, genuine.length));
        assertArrayEquals(plain, Arrays.copyOf(genuine, plain.length));
    }

    @ParameterizedTest
    @MethodSource("profilesAndPaths")
    void rollsTheRocOverAndStillDecryptsLatePacketsFromBeforeTheWrap(
        final SrtpProfile profile, final boolean jdkInternals)
    {
        final SrtpContext sender = context(profile, jdkInternals);
        final SrtpContext receiver = context(profile, jdkInternals);
        final int[] sequences = { 65533, 65534, 65535, 0, 1, 2 };
        final byte[][] plain = new byte[sequences.length][];
        final byte[][] srtp = new byte[sequences.length][];
        for (int i = 0; i < sequences.length; i++)
        {
            plain[i] = rtp(SSRC, sequences[i], 50, i);
            srtp[i] = protect(sender, plain[i]);
        }
        assertEquals(1, sender.rolloverCounter(SSRC), "the sender counted the wrap");

        // Arrival order around the wrap: 65533, 0 (ROC 1), 65535 and 65534 late (ROC 0), 2, 1.
        final int[] order = { 0, 3, 2, 1, 5, 4 };
        final long[] rocAfter = { 0, 1, 1, 1, 1, 1 };
        for (int k = 0; k < order.length; k++)
        {
            final byte[] packet = srtp[order[k]].clone();
            assertEquals(plain[order[k]].length, receiver.unprotectRtp(packet, 0, packet.length), "arrival " + k);
            assertArrayEquals(plain[order[k]], Arrays.copyOf(packet, plain[order[k]].length));
            assertEquals(rocAfter[k], receiver.rolloverCounter(SSRC));
        }
        assertEquals(SrtpStatus.REPLAYED, unprotect(receiver, srtp[2]));
    }

    @ParameterizedTest
    @MethodSource("profilesAndPaths")
    void internalAndPublicPathsAgreeOnEveryPacketOnceCompiled(final SrtpProfile profile, final boolean senderInternals)
    {
        // The JDK-internals path and the public-JCA path are independent implementations: each unprotects what the
        // other protects, for enough packets (and sequence wraps) that C2 compiles both with the intrinsic stubs.
        final SrtpContext sender = context(profile, senderInternals);
        final SrtpContext receiver = context(profile, !senderInternals);
        final byte[] packet = new byte[BUFFER_LENGTH];
        for (int i = 0; i < 40_000; i++)
        {
            final int payloadLength = 1 + i % 200;
            final byte[] plain = rtp(SSRC, (i * 7) & 0xFFFF, payloadLength, i);
            System.arraycopy(plain, 0, packet, 0, plain.length);
            final int srtpLength = sender.protectRtp(packet, 0, plain.length);
            assertEquals(plain.length + profile.rtpTrailerLength(), srtpLength, "protect " + i);
            assertEquals(plain.length, receiver.unprotectRtp(packet, 0, srtpLength), "unprotect " + i);
            if (i % 97 == 0)
            {
                assertArrayEquals(plain, Arrays.copyOf(packet, plain.length), "packet " + i);
            }
        }
        assertEquals(4, receiver.rolloverCounter(SSRC));
    }

    @Test
    void estimatesTheIndexBothWaysAroundTheWrap()
    {
        final long highest = (5L << 16) | 10;
        assertEquals((4L << 16) | 65530, SrtpContext.estimateIndex(highest, 65530), "late, previous ROC");
        assertEquals((5L << 16) | 200, SrtpContext.estimateIndex(highest, 200));
        final long nearWrap = (5L << 16) | 65530;
        assertEquals((6L << 16) | 3, SrtpContext.estimateIndex(nearWrap, 3), "next ROC");
        assertEquals((5L << 16) | 40000, SrtpContext.estimateIndex(nearWrap, 40000));
        // ROC 0 has no predecessor: far ahead is ahead, as libsrtp guesses too.
        assertEquals(40000, SrtpContext.estimateIndex(100, 40000));
        assertEquals(SrtpStatus.KEY_EXPIRED, SrtpContext.estimateIndex((0xFFFF_FFFFL << 16) | 65535, 0));
    }

    @ParameterizedTest
    @MethodSource("profilesAndPaths")
    void numbersSrtcpPacketsFromZeroAndRejectsAReplay(final SrtpProfile profile, final boolean jdkInternals)
    {
        final SrtpContext sender = context(profile, jdkInternals);
        final SrtpContext receiver = context(profile, jdkInternals);
        final byte[] plain = rtcp(SSRC, 52);
        for (int index = 0; index < 3; index++)
        {
            final byte[] srtcp = protectRtcp(sender, plain);
            assertEquals(plain.length + profile.rtcpTrailerLength(), srtcp.length);
            final int wordOffset = srtcp.length - (profile == SrtpProfile.AEAD_AES_128_GCM ? 4 : 14);
            assertEquals(0x80000000 | index, getInt(srtcp, wordOffset), "E flag and index " + index);
            final byte[] received = srtcp.clone();
            assertEquals(plain.length, receiver.unprotectRtcp(received, 0, received.length));
            assertArrayEquals(plain, Arrays.copyOf(received, plain.length));
            assertEquals(SrtpStatus.REPLAYED, receiver.unprotectRtcp(srtcp, 0, srtcp.length));
        }
        assertEquals(3, sender.nextSrtcpIndex(SSRC));
    }

    @ParameterizedTest
    @MethodSource("profilesAndPaths")
    void authenticatesButNeverEncryptsCsrcsAndTheHeaderExtension(
        final SrtpProfile profile, final boolean jdkInternals)
    {
        final SrtpContext sender = context(profile, jdkInternals);
        final SrtpContext receiver = context(profile, jdkInternals);
        final byte[] plain = rtpWithCsrcsAndExtension(SSRC, 77, 20);
        final int headerLength = 12 + 8 + 4 + 8;
        final byte[] srtp = protect(sender, plain);
        assertArrayEquals(Arrays.copyOf(plain, headerLength), Arrays.copyOf(srtp, headerLength));
        assertFalse(Arrays.equals(Arrays.copyOfRange(plain, headerLength, plain.length),
            Arrays.copyOfRange(srtp, headerLength, plain.length)));
        assertEquals(plain.length, unprotect(receiver, srtp));
        assertArrayEquals(plain, Arrays.copyOf(srtp, plain.length));
    }

    @ParameterizedTest
    @MethodSource("profilesAndPaths")
    void carriesRtpPaddingAsOpaquePayload(final SrtpProfile profile, final boolean jdkInternals)
    {
        final SrtpContext sender = context(profile, jdkInternals);
        final SrtpContext receiver = context(profile, jdkInternals);
        final byte[] plain = rtp(SSRC, 12, 24, 0);
        plain[0] |= 0x20;
        plain[plain.length - 1] = 4;
        final byte[] srtp = protect(sender, plain);
        assertEquals(plain.length, unprotect(receiver, srtp));
        assertArrayEquals(plain, Arrays.copyOf(srtp, plain.length), "padding left for the caller to strip");
    }

    @Test
    void rejectsMalformedInputWithAReasonAndNeverThrows()
    {
        final SrtpContext context = context(SrtpProfile.AES_CM_128_HMAC_SHA1_80, true);
        final byte[] packet = Arrays.copyOf(rtp(SSRC, 1, 20, 0), 64);
        assertEquals(SrtpStatus.BAD_ARGUMENT, context.protectRtp(packet, -1, 20));
        assertEquals(SrtpStatus.BAD_ARGUMENT, context.unprotectRtp(packet, 60, 10));
        assertEquals(SrtpStatus.BAD_ARGUMENT, context.unprotectRtp(null, 0, 10));
        assertEquals(SrtpStatus.TOO_SHORT, context.protectRtp(packet, 0, 11));
        assertEquals(SrtpStatus.TOO_SHORT, context.unprotectRtp(packet, 0, 21));
        assertEquals(SrtpStatus.NO_TAILROOM, context.protectRtp(packet, 0, 60));
        assertEquals(SrtpStatus.TOO_SHORT, context.protectRtcp(packet, 0, 7));
        assertEquals(SrtpStatus.TOO_SHORT, context.unprotectRtcp(packet, 0, 21));

        final byte[] version1 = packet.clone();
        version1[0] = 0x40;
        assertEquals(SrtpStatus.BAD_VERSION, context.protectRtp(version1, 0, 32));
        assertEquals(SrtpStatus.BAD_VERSION, context.unprotectRtcp(version1, 0, 40));

        final byte[] extensionPastTheEnd = packet.clone();
        extensionPastTheEnd[0] = (byte)0x90;
        extensionPastTheEnd[14] = 0;
        extensionPastTheEnd[15] = 100;
        assertEquals(SrtpStatus.TOO_SHORT, context.protectRtp(extensionPastTheEnd, 0, 32));
        final byte[] csrcsPastTheEnd = packet.clone();
        csrcsPastTheEnd[0] = (byte)0x8F;
        assertEquals(SrtpStatus.TOO_SHORT, context.protectRtp(csrcsPastTheEnd, 0, 32));

        assertEquals("too short", SrtpStatus.reason(SrtpStatus.TOO_SHORT));
        assertEquals("replayed", SrtpStatus.reason(SrtpStatus.REPLAYED));
        assertEquals(0, context.ssrcCount());
    }

    @ParameterizedTest
    @MethodSource("profilesAndPaths")
    void survivesRandomBytesWithoutThrowingOrKeepingState(final SrtpProfile profile, final boolean jdkInternals)
    {
        final SrtpContext context = context(profile, jdkInternals);
        final SplittableRandom random = new SplittableRandom(42);
        final byte[] packet = new byte[300];
        for (int i = 0; i < 3000; i++)
        {
            random.nextBytes(packet);
            if (random.nextBoolean())
            {
                packet[0] = (byte)(0x80 | (packet[0] & 0x3F));
            }
            final int length = random.nextInt(0, 280);
            assertTrue(context.unprotectRtp(packet, 0, length) < 0);
            assertTrue(context.unprotectRtcp(packet, 0, length) < 0);
        }
        assertEquals(0, context.ssrcCount());
        assertEquals(0, context.statusCount(SrtpStatus.OK));
    }

    @Test
    void boundsTheNumberOfSsrcsAndCreatesNoneFromForgedPackets()
    {
        final SrtpContext sender = new SrtpContext(
            SrtpProfile.AEAD_AES_128_GCM, new byte[16], new byte[12], 2, true);
        final SrtpContext receiver = new SrtpContext(
            SrtpProfile.AEAD_AES_128_GCM, new byte[16], new byte[12], 2, true);
        for (int ssrc = 1; ssrc <= 5; ssrc++)
        {
            final byte[] forged = Arrays.copyOf(rtp(ssrc, 1, 20, 0), 48);
            assertEquals(SrtpStatus.AUTH_FAILED, receiver.unprotectRtp(forged, 0, 48));
        }
        assertEquals(0, receiver.ssrcCount());

        final byte[] first = protect(sender, rtp(1, 1, 20, 0));
        final byte[] second = protect(sender, rtp(2, 1, 20, 0));
        final byte[] third = Arrays.copyOf(rtp(3, 1, 20, 0), BUFFER_LENGTH);
        assertEquals(SrtpStatus.UNKNOWN_SSRC_LIMIT, sender.protectRtp(third, 0, 32));
        assertEquals(32, unprotect(receiver, first));
        assertEquals(32, unprotect(receiver, second));
        assertEquals(2, receiver.ssrcCount());

        assertTrue(sender.removeSsrc(1));
        assertFalse(sender.removeSsrc(1));
        assertEquals(32 + 16, sender.protectRtp(third, 0, 32));
        assertEquals(-1, sender.rolloverCounter(1));
        assertEquals(0, sender.rolloverCounter(2));
    }

    @ParameterizedTest
    @MethodSource("profilesAndPaths")
    void splitsDtlsKeyingMaterialIntoClientAndServerSides(final SrtpProfile profile, final boolean jdkInternals)
    {
        final byte[] material = new byte[profile.keyingMaterialLength()];
        for (int i = 0; i < material.length; i++)
        {
            material[i] = (byte)(i * 3 + 1);
        }
        final int keyLength = profile.keyLength();
        final int saltLength = profile.saltLength();
        final SrtpContext client = new SrtpContext(profile,
            Arrays.copyOfRange(material, 0, keyLength),
            Arrays.copyOfRange(material, 2 * keyLength, 2 * keyLength + saltLength), 4, jdkInternals);
        final SrtpContext server = new SrtpContext(profile,
            Arrays.copyOfRange(material, keyLength, 2 * keyLength),
            Arrays.copyOfRange(material, 2 * keyLength + saltLength, material.length), 4, jdkInternals);

        final byte[] fromClient = protect(client, rtp(SSRC, 3, 20, 0));
        final byte[] fromServer = protect(server, rtp(SSRC, 3, 20, 0));
        assertEquals(32, unprotect(SrtpContext.fromKeyingMaterial(profile, material, true), fromClient.clone()));
        assertEquals(SrtpStatus.AUTH_FAILED,
            unprotect(SrtpContext.fromKeyingMaterial(profile, material, false), fromClient.clone()));
        assertEquals(32, unprotect(SrtpContext.fromKeyingMaterial(profile, material, false), fromServer.clone()));
    }

    @Test
    void mapsDtlsSrtpProfileIds()
    {
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.fromId(0x0001));
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.fromId(0x0007));
        assertNull(SrtpProfile.fromId(0x0002));
        assertEquals(60, SrtpProfile.AES_CM_128_HMAC_SHA1_80.keyingMaterialLength());
        assertEquals(56, SrtpProfile.AEAD_AES_128_GCM.keyingMaterialLength());
    }

    static SrtpContext context(final SrtpProfile profile, final boolean jdkInternals)
    {
        final byte[] key = new byte[profile.keyLength()];
        final byte[] salt = new byte[profile.saltLength()];
        Arrays.fill(key, (byte)0x2B);
        Arrays.fill(salt, (byte)0x7E);
        return new SrtpContext(profile, key, salt, 8, jdkInternals);
    }

    static byte[] rtp(final int ssrc, final int sequence, final int payloadLength, final int fill)
    {
        final byte[] packet = new byte[12 + payloadLength];
        packet[0] = (byte)0x80;
        packet[1] = 111;
        packet[2] = (byte)(sequence >>> 8);
        packet[3] = (byte)sequence;
        putInt(packet, 4, sequence * 960);
        putInt(packet, 8, ssrc);
        for (int i = 12; i < packet.length; i++)
        {
            packet[i] = (byte)(i + fill);
        }
        return packet;
    }

    static byte[] rtpWithCsrcsAndExtension(final int ssrc, final int sequence, final int payloadLength)
    {
        // Two CSRCs, then a one-byte-header extension (RFC 8285) of two words.
        final byte[] packet = new byte[12 + 8 + 4 + 8 + payloadLength];
        packet[0] = (byte)0x92;
        packet[1] = 111;
        packet[2] = (byte)(sequence >>> 8);
        packet[3] = (byte)sequence;
        putInt(packet, 4, sequence * 960);
        putInt(packet, 8, ssrc);
        putInt(packet, 12, 0xC5C5_0001);
        putInt(packet, 16, 0xC5C5_0002);
        putInt(packet, 20, 0xBEDE_0002);
        putInt(packet, 24, 0x10FF_2233);
        putInt(packet, 28, 0x4455_6600);
        for (int i = 32; i < packet.length; i++)
        {
            packet[i] = (byte)(i * 5);
        }
        return packet;
    }

    static byte[] rtcp(final int ssrc, final int length)
    {
        final byte[] packet = new byte[length];
        packet[0] = (byte)0x80;
        packet[1] = (byte)200;
        packet[2] = 0;
        packet[3] = (byte)(length / 4 - 1);
        putInt(packet, 4, ssrc);
        for (int i = 8; i < length; i++)
        {
            packet[i] = (byte)(i * 11);
        }
        return packet;
    }

    static byte[] protect(final SrtpContext context, final byte[] plain)
    {
        final byte[] packet = Arrays.copyOf(plain, plain.length + SrtpContext.MAX_TRAILER);
        final int length = context.protectRtp(packet, 0, plain.length);
        assertTrue(length > plain.length, SrtpStatus.reason(length));
        return Arrays.copyOf(packet, length);
    }

    static byte[] protectRtcp(final SrtpContext context, final byte[] plain)
    {
        final byte[] packet = Arrays.copyOf(plain, plain.length + SrtpContext.MAX_TRAILER);
        final int length = context.protectRtcp(packet, 0, plain.length);
        assertTrue(length > plain.length, SrtpStatus.reason(length));
        return Arrays.copyOf(packet, length);
    }

    static int unprotect(final SrtpContext context, final byte[] srtp)
    {
        return context.unprotectRtp(srtp, 0, srtp.length);
    }

    static int getInt(final byte[] bytes, final int offset)
    {
        return ((bytes[offset] & 0xFF) << 24) | ((bytes[offset + 1] & 0xFF) << 16) |
            ((bytes[offset + 2] & 0xFF) << 8) | (bytes[offset + 3] & 0xFF);
    }

    static void putInt(final byte[] bytes, final int offset, final int value)
    {
        bytes[offset] = (byte)(value >>> 24);
        bytes[offset + 1] = (byte)(value >>> 16);
        bytes[offset + 2] = (byte)(value >>> 8);
        bytes[offset + 3] = (byte)value;
    }
}
