package dev.tandem.interop;

import dev.tandem.signaling.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Headless Chromium (Debian's package) driven over the DevTools protocol with the JDK's WebSocket client: no
 * browser download, no driver binary. A real browser with a fake microphone, for WebRTC interop tests.
 */
public final class Chromium implements AutoCloseable
{
    /** Where Debian installs the browser. */
    public static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

    private final Process process;
    private final Path userDataDir;
    private final WebSocket socket;
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final List<String> console = Collections.synchronizedList(new ArrayList<>());

    private Chromium(final Process process, final Path userDataDir, final WebSocket socket)
    {
        this.process = process;
        this.userDataDir = userDataDir;
        this.socket = socket;
    }

    /**
     * Start a headless browser with a fake microphone and camera and a fresh profile.
     *
     * @param extraArgs more command-line flags.
     * @return the running browser.
     * @throws IOException when it cannot start.
     * @throws IllegalStateException when Chromium is not installed (run scripts/install-test-deps).
     */
    public static Chromium launch(final String... extraArgs) throws IOException, InterruptedException
    {
        if (!Files.isExecutable(EXECUTABLE))
        {
            throw new IllegalStateException(EXECUTABLE + " is missing: run scripts/install-test-deps");
        }
        final Path profile = Files.createTempDirectory("tandem-chromium-");
        final List<String> command = new ArrayList<>(List.of(
            EXECUTABLE.toString(),
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            "--autoplay-policy=no-user-gesture-required",
            "--user-data-dir=" + profile, "--remote-debugging-port=0"));
        command.addAll(List.of(extraArgs));
        command.add("about:blank");
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(profile.resolve("chromium.log").toFile())
            .start();

        final Path portFile = profile.resolve("DevToolsActivePort");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2)
        {
            if (!process.isAlive() || System.nanoTime() > deadline)
            {
                process.destroyForcibly();
                throw new IOException("Chromium did not start; log: " +
                    Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(50);
        }
        final List<String> lines = Files.readAllLines(portFile);
        final URI uri = URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());

        final Listener listener = new Listener();
        final WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(uri, listener)
            .join();
        final Chromium chromium = new Chromium(process, profile, socket);
        listener.owner = chromium;
        return chromium;
    }

    /**
     * Open a page in a new tab and wait for it to load.
     *
     * @param url what to load.
     * @return the page.
     */
    public Page open(final String url)
    {
        final Map<String, Object> target = call(null, "Target.createTarget", Map.of("url", "about:blank"));
        final String targetId = (String)Json.at(target, "targetId");
        final Map<String, Object> attached = call(null, "Target.attachToTarget",
            Map.of("targetId", targetId, "flatten", Boolean.TRUE));
        final Page page = new Page((String)Json.at(attached, "sessionId"));
        page.call("Runtime.enable", Map.of());
        page.call("Page.enable", Map.of());
        page.call("Page.navigate", Map.of("url", url));
        page.waitFor("document.readyState === 'complete' && location.href !== 'about:blank'", Duration.ofSeconds(20));
        return page;
    }

    /**
     * @return console messages and exceptions of every page so far, for failure messages.
     */
    public List<String> console()
    {
        synchronized (console)
        {
            return new ArrayList<>(console);
        }
    }

    @Override
    public void close()
    {
        try
        {
            call(null, "Browser.close", Map.of());
        }
        catch (final RuntimeException ignore)
        {
            // the browser may already be gone; the process is destroyed below either way
        }
        socket.abort();
        // Chromium's helpers (network service, GPU, zygote) can outlive the browser process for a moment and keep
        // writing into the profile, so they are stopped and awaited too before the profile is removed.
        final List<ProcessHandle> helpers = process.descendants().collect(Collectors.toList());
        process.destroy();
        helpers.forEach(ProcessHandle::destroy);
        try
        {
            if (!process.waitFor(5, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            for (final ProcessHandle helper : helpers)
            {
                try
                {
                    helper.onExit().get(5, TimeUnit.SECONDS);
                }
                catch (final ExecutionException | TimeoutException ex)
                {
                    helper.destroyForcibly();
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        deleteRecursively(userDataDir);
    }

    Map<String, Object> call(final String sessionId, final String method, final Map<String, Object> params)
    {
        final long id = nextId.getAndIncrement();
        final Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        if (sessionId != null)
        {
            message.put("sessionId", sessionId);
        }
        final CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
        pending.put(id, reply);
        synchronized (socket)
        {
            socket.sendText(Json.write(message), true).join();
        }
        try
        {
            final Map<String, Object> response = reply.get(60, TimeUnit.SECONDS);
            if (response.containsKey("error"))
            {
                throw new IllegalStateException(method + " failed: " + Json.write(response.get("error")));
            }
            @SuppressWarnings("unchecked")
            final Map<String, Object> result = (Map<String, Object>)response.get("result");
            return result;
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(method + ": " + ex, ex);
        }
        finally
        {
            pending.remove(id);
        }
    }

    @SuppressWarnings("unchecked")
    private void onMessage(final String text)
    {
        final Map<String, Object> message = (Map<String, Object>)Json.parse(text);
        final Object id = message.get("id");
        if (id != null)
        {
            final CompletableFuture<Map<String, Object>> reply = pending.get(((Double)id).longValue());
            if (reply != null)
            {
                reply.complete(message);
            }
            return;
        }
        final String method = (String)message.get("method");
        if ("Runtime.consoleAPICalled".equals(method))
        {
            final StringBuilder line = new StringBuilder("console.").append(Json.at(message, "params.type"))
                .append(':');
            final Object args = Json.at(message, "params.args");
            if (args instanceof List)
            {
                for (final Object arg : (List<Object>)args)
                {
                    final Object value = Json.at(arg, "value");
                    line.append(' ').append(value != null ? value : Json.at(arg, "description"));
                }
            }
            console.add(line.toString());
        }
        else if ("Runtime.exceptionThrown".equals(method))
        {
            console.add("exception: " + Json.at(message, "params.exceptionDetails.exception.description"));
        }
    }

    private static void deleteRecursively(final Path dir)
    {
        // best effort, a few attempts: a file that vanishes during the walk (a helper's temporary file) is not an error
        for (int attempt = 0; attempt < 3 && Files.exists(dir); attempt++)
        {
            try (Stream<Path> paths = Files.walk(dir))
            {
                paths.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
            }
            catch (final IOException | UncheckedIOException ignore)
            {
                // retried below; a temporary profile directory left behind is harmless
            }
        }
    }

    /**
     * One tab.
     */
    public final class Page
    {
        private final String sessionId;

        private Page(final String sessionId)
        {
            this.sessionId = sessionId;
        }

        Map<String, Object> call(final String method, final Map<String, Object> params)
        {
            return Chromium.this.call(sessionId, method, params);
        }

        /**
         * Evaluate a JavaScript expression in the page, awaiting it when it is a promise.
         *
         * @param expression JavaScript.
         * @return its value as JSON-like Java objects.
         * @throws IllegalStateException when it throws in the page.
         */
        public Object evaluate(final String expression)
        {
            final Map<String, Object> result = call("Runtime.evaluate", Map.of(
                "expression", expression, "awaitPromise", Boolean.TRUE, "returnByValue", Boolean.TRUE));
            if (result.containsKey("exceptionDetails"))
            {
                throw new IllegalStateException("page threw: " +
                    Json.at(result, "exceptionDetails.exception.description") + " / " +
                    Json.at(result, "exceptionDetails.text"));
            }
            return Json.at(result, "result.value");
        }

        /**
         * Poll an expression until it is truthy.
         *
         * @param expression JavaScript.
         * @param timeout    how long to wait.
         * @return its last value.
         * @throws AssertionError on timeout, with the browser console.
         */
        public Object waitFor(final String expression, final Duration timeout)
        {
            final long deadline = System.nanoTime() + timeout.toNanos();
            Object value = null;
            while (System.nanoTime() < deadline)
            {
                value = evaluate(expression);
                if (value != null && !Boolean.FALSE.equals(value) && !"".equals(value) &&
                    !(value instanceof Double && (Double)value == 0))
                {
                    return value;
                }
                try
                {
                    Thread.sleep(50);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            throw new AssertionError("timed out after " + timeout + " waiting for: " + expression +
                " (last value " + value + "); console: " + console());
        }

        /**
         * @param file where to write a PNG of the page.
         * @param width  viewport width in CSS pixels.
         * @param height viewport height in CSS pixels.
         * @throws IOException when it cannot be written.
         */
        public void screenshot(final Path file, final int width, final int height) throws IOException
        {
            call("Emulation.setDeviceMetricsOverride", Map.of(
                "width", width, "height", height, "deviceScaleFactor", 1, "mobile", Boolean.FALSE));
            final Map<String, Object> shot = call("Page.captureScreenshot", Map.of("format", "png"));
            Files.write(file, Base64.getDecoder().decode((String)shot.get("data")));
        }
    }

    private static final class Listener implements WebSocket.Listener
    {
        private final StringBuilder partial = new StringBuilder();
        private volatile Chromium owner;

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
        {
            partial.append(data);
            if (last)
            {
                final String text = partial.toString();
                partial.setLength(0);
                final Chromium chromium = owner;
                if (chromium != null)
                {
                    chromium.onMessage(text);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(
            final WebSocket webSocket, final java.nio.ByteBuffer data, final boolean last)
        {
            partial.append(StandardCharsets.UTF_8.decode(data));
            webSocket.request(1);
            return null;
        }
    }
}
