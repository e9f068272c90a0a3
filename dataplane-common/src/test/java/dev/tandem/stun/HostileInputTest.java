package dev.tandem.stun;

import dev.tandem.crypto.HmacSha1;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.route.RouteStatus;
import dev.tandem.route.RouteTokenVerifier;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property tests in place of a fuzzer: 100k random and mutated datagrams through the STUN flyweight and 100k
 * mutated usernames through the route token verifier. The buffers are exactly as long as the input, and the
 * tests run with Agrona's bounds checks on, so any read outside the datagram throws and fails the test. Every
 * status must be a defined one, accepted messages must satisfy the flyweight's invariants, and only unmodified
 * inputs may authenticate.
 */
class HostileInputTest
{
    private static final int ITERATIONS = 100_000;
    private static final int[] INTERESTING_TYPES = {
        StunMessageFlyweight.USERNAME, StunMessageFlyweight.MESSAGE_INTEGRITY, StunMessageFlyweight.FINGERPRINT,
        StunMessageFlyweight.PRIORITY, StunMessageFlyweight.USE_CANDIDATE, StunMessageFlyweight.ICE_CONTROLLING,
        StunMessageFlyweight.ICE_CONTROLLED, StunMessageFlyweight.ERROR_CODE, StunMessageFlyweight.XOR_MAPPED_ADDRESS,
        StunMessageFlyweight.MESSAGE_INTEGRITY_SHA256, StunMessageFlyweight.SOFTWARE, 0xC057, 0x0003, 0x7FFF };

    private static final int[] COMMON_LENGTHS = { 0, 4, 8, 20, 9 };

    private final StunMessageFlyweight flyweight = new StunMessageFlyweight();
    private final HmacSha1 mac = new HmacSha1();

    @Test
    void stunFlyweightSurvivesRandomAndMutatedDatagrams()
    {
        final byte[][] seeds = {
            StunFixtures.request(), StunFixtures.ipv4Response(), StunFixtures.ipv6Response(),
            StunFixtures.hex(StunFixtures.CHROMIUM_CHECK_HEX), StunFixtures.hex(StunFixtures.CHROMIUM_NOMINATION_HEX) };
        final byte[][] passwords = {
            StunFixtures.RFC5769_PASSWORD, StunFixtures.RFC5769_PASSWORD, StunFixtures.RFC5769_PASSWORD,
            StunFixtures.CHROMIUM_PASSWORD, StunFixtures.CHROMIUM_PASSWORD };
        final SplittableRandom random = new SplittableRandom(0x5EED);
        final int[] statusCounts = new int[-StunStatus.NOT_VALIDATED + 1];
        int authenticated = 0;

        for (int i = 0; i < ITERATIONS; i++)
        {
            final int seedIndex = random.nextInt(seeds.length);
            final byte[] seed = seeds[seedIndex];
            final byte[] input;
            switch (i % 4)
            {
                case 0:
                    input = randomBytes(random, random.nextInt(600));
                    break;
                case 1:
                    input = flipBytes(random, seed);
                    break;
                case 2:
                    input = fixLength(flipBytes(random, seed));
                    break;
                default:
                    input = attributeSoup(random);
                    break;
            }

            final int status = flyweight.wrap(new UnsafeBuffer(input), 0, input.length).validate();
            assertTrue(status <= StunStatus.OK && status >= StunStatus.NOT_VALIDATED, () -> "status " + status);
            assertNotEquals("unknown", StunStatus.reason(status));
            statusCounts[-status]++;
            if (status != StunStatus.OK)
            {
                assertEquals(-1, flyweight.usernameOffset());
                assertEquals(StunStatus.NOT_VALIDATED, flyweight.verifyFingerprint());
                continue;
            }
            checkInvariants(input);
            final byte[] password = passwords[seedIndex];
            final int integrity = flyweight.verifyMessageIntegrity(mac, password, 0, password.length);
            assertTrue(integrity == StunStatus.OK || integrity == StunStatus.NO_MESSAGE_INTEGRITY ||
                integrity == StunStatus.BAD_MESSAGE_INTEGRITY);
            final int fingerprint = flyweight.verifyFingerprint();
            assertTrue(fingerprint == StunStatus.OK || fingerprint == StunStatus.NO_FINGERPRINT ||
                fingerprint == StunStatus.BAD_FINGERPRINT);
            if (integrity == StunStatus.OK && fingerprint == StunStatus.OK)
            {
                // A mutation that still authenticates must not have touched what MESSAGE-INTEGRITY covers.
                authenticated++;
                final int covered = flyweight.findAttribute(StunMessageFlyweight.MESSAGE_INTEGRITY) - 4;
                assertArrayEquals(Arrays.copyOfRange(seed, 4, covered), Arrays.copyOfRange(input, 4, covered));
            }
        }

        // The inputs reached every stage: rejections at the header, in the attribute walk, and acceptance.
        assertTrue(statusCounts[0] > 1_000, "accepted " + statusCounts[0]);
        assertTrue(statusCounts[-StunStatus.TRUNCATED] > 100);
        assertTrue(statusCounts[-StunStatus.BAD_COOKIE] > 1_000);
        assertTrue(statusCounts[-StunStatus.LENGTH_MISMATCH] > 1_000);
        assertTrue(statusCounts[-StunStatus.ATTRIBUTE_OVERRUN] > 100);
        assertTrue(statusCounts[-StunStatus.BAD_ATTRIBUTE] > 100);
        assertTrue(statusCounts[-StunStatus.FINGERPRINT_NOT_LAST] > 10);
        assertTrue(authenticated > 0, "no mutation left a message authentic: the seeds are not exercised");
    }

    @Test
    void routeVerifierSurvivesMutatedUsernames()
    {
        final byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++)
        {
            key[i] = (byte)(31 + i * 7 + 1);
        }
        final RouteTokenVerifier verifier = new RouteTokenVerifier(
            RouteKeyRing.parse("1:" + Base64.getEncoder().encodeToString(key), 1));
        final byte[] valid = (StunFixtures.CHROMIUM_SERVER_UFRAG + ":" + StunFixtures.CHROMIUM_CLIENT_UFRAG)
            .getBytes(StandardCharsets.US_ASCII);
        final long expectedRoute = verifier.verifyUsername(new UnsafeBuffer(valid), 0, valid.length);
        assertTrue(expectedRoute > 0);

        final SplittableRandom random = new SplittableRandom(0x70CE);
        final int[] statusCounts = new int[8];
        for (int i = 0; i < ITERATIONS; i++)
        {
            final byte[] input;
            switch (i % 3)
            {
                case 0:
                    input = randomBytes(random, random.nextInt(80));
                    break;
                case 1:
                    input = flipBytes(random, valid);
                    break;
                default:
                    input = replaceCharacter(random, valid);
                    break;
            }
            final long route = verifier.verifyUsername(new UnsafeBuffer(input), 0, input.length);
            final boolean serverPartUnchanged = input.length > 40 && input[40] == ':' &&
                Arrays.equals(input, 0, 40, valid, 0, 40);
            if (serverPartUnchanged)
            {
                assertEquals(expectedRoute, route);
            }
            else
            {
                assertTrue(route < 0 && route >= RouteStatus.OUT_OF_BOUNDS, () -> "route " + route);
                statusCounts[(int)-route]++;
            }
        }
        assertTrue(statusCounts[(int)-RouteStatus.BAD_MAC] > 1_000);
        assertTrue(statusCounts[(int)-RouteStatus.MALFORMED] > 1_000);
        assertTrue(statusCounts[(int)-RouteStatus.BAD_CHARACTER] > 100);
        assertTrue(statusCounts[(int)-RouteStatus.BAD_LENGTH] > 100);
    }

    private void checkInvariants(final byte[] input)
    {
        final int end = input.length;
        if (flyweight.usernameOffset() >= 0)
        {
            assertTrue(flyweight.usernameOffset() >= 24);
            assertTrue(flyweight.usernameOffset() + flyweight.usernameLength() <= end);
        }
        for (final int type : INTERESTING_TYPES)
        {
            final int valueOffset = flyweight.findAttribute(type);
            if (valueOffset >= 0)
            {
                assertEquals(type, ((input[valueOffset - 4] & 0xFF) << 8) | (input[valueOffset - 3] & 0xFF));
                assertTrue(valueOffset + flyweight.attributeLength(valueOffset) <= end);
            }
        }
        assertTrue(flyweight.priority() >= -1);
        assertTrue(flyweight.errorCode() == -1 || (flyweight.errorCode() >= 300 && flyweight.errorCode() <= 699));
        final int family = flyweight.xorMappedAddressFamily();
        assertTrue(family == -1 || family == 1 || family == 2);
        flyweight.xorMappedAddressHigh();
        flyweight.xorMappedAddressLow();
        assertTrue(flyweight.xorMappedPort() >= -1 && flyweight.xorMappedPort() <= 65535);
        assertTrue(!(flyweight.hasIceControlled() && flyweight.hasIceControlling()));
        assertTrue(flyweight.messageType() >= 0 && flyweight.messageType() <= 0x3FFF);
    }

    private static byte[] randomBytes(final SplittableRandom random, final int length)
    {
        final byte[] out = new byte[length];
        for (int i = 0; i < length; i++)
        {
            out[i] = (byte)random.nextInt(256);
        }
        if (length >= 8 && random.nextBoolean())
        {
            out[0] &= 0x03; // look like STUN for a while
            out[4] = 0x21;
            out[5] = 0x12;
            out[6] = (byte)0xA4;
            out[7] = 0x42;
        }
        return out;
    }

    private static byte[] flipBytes(final SplittableRandom random, final byte[] seed)
    {
        final byte[] out;
        final int shape = random.nextInt(4);
        if (shape == 0)
        {
            out = Arrays.copyOf(seed, random.nextInt(seed.length + 1)); // truncate
        }
        else if (shape == 1)
        {
            out = Arrays.copyOf(seed, seed.length + random.nextInt(1, 12)); // extend with zeros
        }
        else
        {
            out = seed.clone();
        }
        if (out.length == 0)
        {
            return out;
        }
        final int flips = random.nextInt(1, 4);
        for (int f = 0; f < flips; f++)
        {
            out[random.nextInt(out.length)] = (byte)random.nextInt(256);
        }
        return out;
    }

    private static byte[] fixLength(final byte[] bytes)
    {
        if (bytes.length >= 20)
        {
            final int length = (bytes.length - 20) & ~3;
            final byte[] out = Arrays.copyOf(bytes, 20 + length);
            out[2] = (byte)(length >>> 8);
            out[3] = (byte)length;
            return out;
        }
        return bytes;
    }

    private static byte[] attributeSoup(final SplittableRandom random)
    {
        final byte[] out = new byte[20 + 4 * random.nextInt(0, 40)];
        out[1] = 1;
        out[2] = (byte)((out.length - 20) >>> 8);
        out[3] = (byte)(out.length - 20);
        out[4] = 0x21;
        out[5] = 0x12;
        out[6] = (byte)0xA4;
        out[7] = 0x42;
        int position = 20;
        while (position + 4 <= out.length)
        {
            final int type = INTERESTING_TYPES[random.nextInt(INTERESTING_TYPES.length)];
            final int length = random.nextInt(8) == 0 ? random.nextInt(300) : COMMON_LENGTHS[random.nextInt(5)];
            out[position] = (byte)(type >>> 8);
            out[position + 1] = (byte)type;
            out[position + 2] = (byte)(length >>> 8);
            out[position + 3] = (byte)length;
            for (int i = position + 4; i < Math.min(out.length, position + 4 + length); i++)
            {
                out[i] = (byte)random.nextInt(256);
            }
            if (type == StunMessageFlyweight.ERROR_CODE && position + 8 <= out.length)
            {
                out[position + 6] = (byte)random.nextInt(3, 7);
                out[position + 7] = (byte)random.nextInt(100);
            }
            if (type == StunMessageFlyweight.XOR_MAPPED_ADDRESS && position + 6 <= out.length)
            {
                out[position + 5] = (byte)(length == 20 ? 2 : 1);
            }
            position += 4 + ((length + 3) & ~3);
        }
        return out;
    }

    private static byte[] replaceCharacter(final SplittableRandom random, final byte[] valid)
    {
        final byte[] out = valid.clone();
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/:-_= ";
        out[random.nextInt(out.length)] = (byte)alphabet.charAt(random.nextInt(alphabet.length()));
        return out;
    }
}
