package dev.tandem.perf.jmh;

import dev.tandem.route.RouteKeyRing;
import dev.tandem.route.RouteStatus;
import dev.tandem.route.RouteTokenMinter;
import dev.tandem.route.RouteTokenVerifier;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Route token verification as the relay does it on a flow's first STUN check: a bare token, a STUN USERNAME
 * ({@code token:clientUfrag}), and a forged token that fails at the MAC (the cost an attacker can impose).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RouteTokenBenchmark
{
    /** A fixed test key (not a secret). */
    static final String KEY_SPEC = "1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private final UnsafeBuffer username = new UnsafeBuffer(ByteBuffer.allocateDirect(128));
    private final UnsafeBuffer forged = new UnsafeBuffer(ByteBuffer.allocateDirect(128));
    private final UnsafeBuffer badCharacter = new UnsafeBuffer(ByteBuffer.allocateDirect(128));
    private RouteTokenVerifier verifier;
    private int usernameLength;

    /**
     * Mint the tokens.
     */
    @Setup
    public void setup()
    {
        final RouteKeyRing ring = RouteKeyRing.parse(KEY_SPEC, 1);
        verifier = new RouteTokenVerifier(ring);
        final String token = new RouteTokenMinter(ring).mint(1, 2, 3, 0x1234_5678_9ABC_DEF0L);
        usernameLength = username.putStringWithoutLengthAscii(0, token + ":Ab3d");
        final char last = token.charAt(39) == 'A' ? 'B' : 'A';
        forged.putStringWithoutLengthAscii(0, token.substring(0, 39) + last);
        badCharacter.putStringWithoutLengthAscii(0, token.substring(0, 39) + "-");
        if (verify() <= 0 || verifyUsername() <= 0 || verifyForged() != RouteStatus.BAD_MAC ||
            verifyBadCharacter() != RouteStatus.BAD_CHARACTER)
        {
            throw new IllegalStateException("the benchmark tokens do not behave as named");
        }
    }

    /**
     * @return the route of a valid bare token.
     */
    @Benchmark
    public long verify()
    {
        return verifier.verify(username, 0, 40);
    }

    /**
     * @return the route of a valid STUN USERNAME.
     */
    @Benchmark
    public long verifyUsername()
    {
        return verifier.verifyUsername(username, 0, usernameLength);
    }

    /**
     * @return BAD_MAC.
     */
    @Benchmark
    public long verifyForged()
    {
        return verifier.verify(forged, 0, 40);
    }

    /**
     * @return BAD_CHARACTER, found before any crypto.
     */
    @Benchmark
    public long verifyBadCharacter()
    {
        return verifier.verify(badCharacter, 0, 40);
    }
}
