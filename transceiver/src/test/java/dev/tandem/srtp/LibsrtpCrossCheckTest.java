package dev.tandem.srtp;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interop with libsrtp (Debian's python3-pylibsrtp; {@code scripts/install-test-deps} installs it): packets
 * protected here are unprotected by libsrtp and vice versa, RTP and RTCP, through a sequence-number wrap, with
 * CSRCs, a header extension and RTP padding, on both profiles. Plaintexts must come back byte for byte, and for
 * the same key libsrtp's ciphertexts must equal ours.
 */
@Tag("interop")
class LibsrtpCrossCheckTest
{
    private static final String PYTHON = "/usr/bin/python3";
    private static final int SSRC_A = 0x1234_5678;
    private static final int SSRC_B = 0x0BAD_CAFE;

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void libsrtpAndTandemUnprotectEachOthersPacketsThroughASequenceWrap(final SrtpProfile profile) throws Exception
    {
        final byte[] keyToLibsrtp = keyAndSalt(profile, 0x11);
        final byte[] keyFromLibsrtp = keyAndSalt(profile, 0x5c);
        final SrtpContext outbound = contextFor(profile, keyToLibsrtp);
        final SrtpContext inbound = contextFor(profile, keyFromLibsrtp);

        final List<byte[]> rtp = rtpPackets();
        final List<byte[]> rtcp = rtcpPackets();
        final List<byte[]> tandemRtp = new ArrayList<>();
        final List<byte[]> tandemRtcp = new ArrayList<>();
        for (final byte[] plain : rtp)
        {
            tandemRtp.add(SrtpContextTest.protect(outbound, plain));
        }
        for (final byte[] plain : rtcp)
        {
            tandemRtcp.add(SrtpContextTest.protectRtcp(outbound, plain));
        }

        final List<String> commands = new ArrayList<>();
        commands.add("profile " + profile.name());
        commands.add("receiver " + Hex.string(keyToLibsrtp));
        tandemRtp.forEach(packet -> commands.add("unprotect_rtp " + Hex.string(packet)));
        tandemRtcp.forEach(packet -> commands.add("unprotect_rtcp " + Hex.string(packet)));
        // A libsrtp sender with Tandem's outbound key, to compare ciphertexts.
        commands.add("sender " + Hex.string(keyToLibsrtp));
        rtp.forEach(packet -> commands.add("protect_rtp " + Hex.string(packet)));
        rtcp.forEach(packet -> commands.add("protect_rtcp " + Hex.string(packet)));
        // A libsrtp sender with its own key, for Tandem's inbound context.
        commands.add("sender " + Hex.string(keyFromLibsrtp));
        rtp.forEach(packet -> commands.add("protect_rtp " + Hex.string(packet)));
        rtcp.forEach(packet -> commands.add("protect_rtcp " + Hex.string(packet)));

        final List<String> answers = runLibsrtp(commands);
        assertEquals(commands.size(), answers.size(), "one answer per command");
        int answer = 2;
        for (final byte[] plain : rtp)
        {
            assertEquals("ok " + Hex.string(plain), answers.get(answer++), "libsrtp unprotects Tandem's SRTP");
        }
        for (final byte[] plain : rtcp)
        {
            assertEquals("ok " + Hex.string(plain), answers.get(answer++), "libsrtp unprotects Tandem's SRTCP");
        }

        answer++;
        for (final byte[] srtp : tandemRtp)
        {
            assertEquals("ok " + Hex.string(srtp), answers.get(answer++), "identical SRTP bytes for the same key");
        }
        for (int i = 0; i < rtcp.size(); i++)
        {
            // libsrtp numbers SRTCP from 1, Tandem from 0 (RFC 3711 3.3.2): libsrtp's k-th is Tandem's (k+1)-th
            // for the same SSRC, which lines up here because each SSRC's packets are consecutive.
            final String libsrtp = answers.get(answer++);
            final byte[] ours = tandemRtcp.get(i);
            final int ssrc = SrtpContextTest.getInt(ours, 4);
            final SrtpContext replay = contextFor(profile, keyToLibsrtp);
            replay.nextSrtcpIndex(ssrc, indexWithinSsrc(rtcp, i) + 1);
            assertEquals("ok " + Hex.string(SrtpContextTest.protectRtcp(replay, rtcp.get(i))), libsrtp,
                "identical SRTCP bytes for the same key and index");
        }

        answer++;
        for (final byte[] plain : rtp)
        {
            final byte[] srtp = Hex.bytes(answers.get(answer++).substring(3));
            assertEquals(Hex.string(plain), Hex.string(srtp, 0, inbound.unprotectRtp(srtp, 0, srtp.length)),
                "Tandem unprotects libsrtp's SRTP");
        }
        for (final byte[] plain : rtcp)
        {
            final byte[] srtcp = Hex.bytes(answers.get(answer++).substring(3));
            assertEquals(Hex.string(plain), Hex.string(srtcp, 0, inbound.unprotectRtcp(srtcp, 0, srtcp.length)),
                "Tandem unprotects libsrtp's SRTCP");
        }
        assertEquals(1, inbound.rolloverCounter(SSRC_A), "the wrap advanced the ROC");
        assertEquals(1, outbound.rolloverCounter(SSRC_A));
    }

    private static List<byte[]> rtpPackets()
    {
        final List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < 14; i++)
        {
            final int sequence = (65528 + i) & 0xFFFF;
            final byte[] packet;
            if (i == 3)
            {
                packet = SrtpContextTest.rtpWithCsrcsAndExtension(SSRC_A, sequence, 60);
            }
            else
            {
                packet = SrtpContextTest.rtp(SSRC_A, sequence, 20 + 13 * i, i);
            }
            if (i == 9)
            {
                // RTP padding: P bit and a count in the last byte, opaque to SRTP.
                packet[0] |= 0x20;
                packet[packet.length - 1] = 3;
            }
            packets.add(packet);
        }
        packets.add(SrtpContextTest.rtp(SSRC_B, 100, 160, 1));
        packets.add(SrtpContextTest.rtp(SSRC_B, 101, 160, 2));
        return packets;
    }

    private static List<byte[]> rtcpPackets()
    {
        final List<byte[]> packets = new ArrayList<>();
        packets.add(SrtpContextTest.rtcp(SSRC_A, 28));
        packets.add(compoundSenderReportAndSdes(SSRC_A));
        packets.add(SrtpContextTest.rtcp(SSRC_A, 52));
        packets.add(SrtpContextTest.rtcp(SSRC_B, 8));
        packets.add(SrtpContextTest.rtcp(SSRC_B, 32));
        return packets;
    }

    private static byte[] compoundSenderReportAndSdes(final int ssrc)
    {
        final byte[] sr = SrtpContextTest.rtcp(ssrc, 28);
        final byte[] sdes = new byte[20];
        sdes[0] = (byte)0x81;
        sdes[1] = (byte)202;
        sdes[3] = 4;
        SrtpContextTest.putInt(sdes, 4, ssrc);
        sdes[8] = 1;
        sdes[9] = 6;
        System.arraycopy("tandem".getBytes(StandardCharsets.US_ASCII), 0, sdes, 10, 6);
        final byte[] compound = Arrays.copyOf(sr, sr.length + sdes.length);
        System.arraycopy(sdes, 0, compound, sr.length, sdes.length);
        return compound;
    }

    private static int indexWithinSsrc(final List<byte[]> packets, final int position)
    {
        final int ssrc = SrtpContextTest.getInt(packets.get(position), 4);
        int index = 0;
        for (int i = 0; i < position; i++)
        {
            index += SrtpContextTest.getInt(packets.get(i), 4) == ssrc ? 1 : 0;
        }
        return index;
    }

    private static byte[] keyAndSalt(final SrtpProfile profile, final int seed)
    {
        final byte[] bytes = new byte[profile.keyLength() + profile.saltLength()];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)(seed + i * 29);
        }
        return bytes;
    }

    private static SrtpContext contextFor(final SrtpProfile profile, final byte[] keyAndSalt)
    {
        return new SrtpContext(
            profile,
            Arrays.copyOf(keyAndSalt, profile.keyLength()),
            Arrays.copyOfRange(keyAndSalt, profile.keyLength(), keyAndSalt.length));
    }

    private List<String> runLibsrtp(final List<String> commands) throws Exception
    {
        assertTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " missing: run scripts/install-test-deps");
        final Path script = Path.of(getClass().getResource("/srtp/libsrtp_crosscheck.py").toURI());
        final Path input = Files.createTempFile("libsrtp-crosscheck", ".in");
        final Path errors = Files.createTempFile("libsrtp-crosscheck", ".err");
        try
        {
            Files.write(input, commands, StandardCharsets.US_ASCII);
            final Process process = new ProcessBuilder(PYTHON, script.toString())
                .redirectInput(input.toFile())
                .redirectError(errors.toFile())
                .start();
            final List<String> answers = new ArrayList<>();
            try (BufferedReader stdout = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)))
            {
                String line;
                while ((line = stdout.readLine()) != null)
                {
                    answers.add(line.trim());
                }
            }
            final boolean exited = process.waitFor(60, TimeUnit.SECONDS);
            if (!exited)
            {
                process.destroyForcibly();
            }
            assertTrue(exited && process.exitValue() == 0,
                "libsrtp script failed (is python3-pylibsrtp installed? scripts/install-test-deps): " +
                Files.readString(errors));
            return answers;
        }
        finally
        {
            Files.deleteIfExists(input);
            Files.deleteIfExists(errors);
        }
    }
}
