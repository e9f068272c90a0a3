package dev.tandem.signaling;

import dev.tandem.config.ConfigException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * A classpath resource served at a fixed path (a demo page and its scripts), read once at start.
 */
final class StaticResource
{
    /** Largest static resource; these are small pages and scripts, held in memory. */
    static final int MAX_LENGTH_BYTES = 4 * 1024 * 1024;

    final String path;
    final String contentType;
    final byte[] body;

    private StaticResource(final String path, final String contentType, final byte[] body)
    {
        this.path = path;
        this.contentType = contentType;
        this.body = body;
    }

    /**
     * @param path        the URL path, e.g. {@code /} or {@code /app.js}.
     * @param resource    the classpath resource name, e.g. {@code web/index.html}.
     * @param contentType the Content-Type, or null to derive it from the resource's extension.
     * @param classLoader where to find it.
     * @return the loaded resource.
     * @throws ConfigException when the resource does not exist or cannot be read.
     */
    static StaticResource load(
        final String path, final String resource, final String contentType, final ClassLoader classLoader)
    {
        final String name = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = classLoader.getResourceAsStream(name))
        {
            if (in == null)
            {
                throw new ConfigException("static resource for " + path + ": '" + name + "' is not on the classpath");
            }
            final byte[] body = in.readNBytes(MAX_LENGTH_BYTES + 1);
            if (body.length > MAX_LENGTH_BYTES)
            {
                throw new ConfigException("static resource '" + name + "' is larger than " + MAX_LENGTH_BYTES);
            }
            return new StaticResource(path, contentType != null ? contentType : contentTypeOf(name), body);
        }
        catch (final IOException ex)
        {
            throw new ConfigException("static resource '" + name + "' cannot be read: " + ex.getMessage());
        }
    }

    /**
     * @param name a file name.
     * @return the Content-Type for its extension; text types in UTF-8.
     */
    static String contentTypeOf(final String name)
    {
        final int dot = name.lastIndexOf('.');
        final String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        switch (extension)
        {
            case "html":
            case "htm":
                return "text/html; charset=utf-8";
            case "js":
            case "mjs":
                return "text/javascript; charset=utf-8";
            case "css":
                return "text/css; charset=utf-8";
            case "json":
            case "map":
                return "application/json";
            case "txt":
                return "text/plain; charset=utf-8";
            case "svg":
                return "image/svg+xml";
            case "png":
                return "image/png";
            case "jpg":
            case "jpeg":
                return "image/jpeg";
            case "webp":
                return "image/webp";
            case "ico":
                return "image/x-icon";
            case "wasm":
                return "application/wasm";
            case "woff2":
                return "font/woff2";
            case "wav":
                return "audio/wav";
            default:
                return "application/octet-stream";
        }
    }
}
