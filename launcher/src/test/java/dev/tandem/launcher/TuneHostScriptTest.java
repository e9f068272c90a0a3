package dev.tandem.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs {@code scripts/tune-host/test-tune-host} so that {@code mvn verify} covers the host tuning script: its
 * {@code check} on this machine, and {@code apply}/{@code revert} inside a network namespace the script creates.
 * Needs root and {@code ip netns} (as on CI); anywhere else the script, and so this test, fails saying why.
 */
class TuneHostScriptTest
{
    private static final long TIMEOUT_SECONDS = 90;

    @Test
    void scriptChecksTheHostThenAppliesAndRevertsInsideANetworkNamespace(@TempDir final Path dir) throws Exception
    {
        final String root = System.getProperty("tandem.root");
        assertNotNull(root, "system property tandem.root (set by surefire) is missing");
        final File script = new File(root, "scripts/tune-host/test-tune-host");
        assertTrue(script.canExecute(), script + " is missing or not executable");

        final Path log = dir.resolve("test-tune-host.log");
        final Process process = new ProcessBuilder("bash", script.getPath())
            .directory(new File(root))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("test-tune-host did not finish in " + TIMEOUT_SECONDS + " s; output so far:\n" + read(log));
        }
        final String output = read(log);
        System.out.println(output);

        assertEquals(0, process.exitValue(),
            "test-tune-host failed (exit 2 = cannot run: needs root and `ip netns`); output:\n" + output);
        assertContains(output, "ok   - check exits 0 or 1");
        assertContains(output, "ok   - check reports every setting (missing: none)");
        assertContains(output, "ok   - check --json parses and lists every setting in order");
        assertContains(output, "ok   - apply set net.ipv4.udp_rmem_min in the namespace: 5000 -> 16384");
        assertContains(output, "ok   - host net.core.rmem_max unchanged by apply in the namespace");
        assertContains(output, "ok   - apply after drift does not overwrite the saved original");
        assertContains(output, "ok   - revert restored net.core.somaxconn to 128");
        assertContains(output, "ok   - the test namespace is gone");
        assertContains(output, "test-tune-host: PASS");
        assertTrue(output.matches("(?s).*#   (OK|WARN|INFO) +udp\\.port +\\d+ .*"),
            "the check table is missing from the output:\n" + output);
    }

    private static void assertContains(final String output, final String line)
    {
        assertTrue(output.contains(line), "missing '" + line + "' in:\n" + output);
    }

    private static String read(final Path log) throws Exception
    {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
