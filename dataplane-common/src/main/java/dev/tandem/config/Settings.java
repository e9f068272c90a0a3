package dev.tandem.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Factories for typed {@link Setting}s. Each parser rejects bad text with a reason; {@link Setting#parse} adds the
 * setting's name so the message reads {@code relay.workers: 'x' is not an integer}.
 */
public final class Settings
{
    private Settings()
    {
    }

    /**
     * @param name        property name.
     * @param flag        short flag, or null.
     * @param defaultValue default, or null.
     * @param description one line for --help.
     * @return a free-text setting.
     */
    public static Setting<String> string(
        final String name, final String flag, final String defaultValue, final String description)
    {
        return new Setting<>(name, flag, defaultValue, description, Function.identity());
    }

    /**
     * @param name        property name.
     * @param flag        short flag, or null.
     * @param defaultValue default, or null.
     * @param description one line for --help.
     * @return a free-text setting whose value is a secret (a key, a token): never shown in logs.
     */
    public static Setting<String> secret(
        final String name, final String flag, final String defaultValue, final String description)
    {
        return new Setting<>(name, flag, defaultValue, description, Function.identity(), true);
    }

    /**
     * @param name        property name.
     * @param flag        short flag, or null.
     * @param defaultValue default, or null.
     * @param min         smallest accepted value.
     * @param max         largest accepted value.
     * @param description one line for --help.
     * @return an integer setting with bounds.
     */
    public static Setting<Integer> integer(
        final String name,
        final String flag,
        final String defaultValue,
        final int min,
        final int max,
        final String description)
    {
        return new Setting<>(name, flag, defaultValue, description, (text) ->
        {
            final long value;
            try
            {
                value = Long.parseLong(text);
            }
            catch (final NumberFormatException ex)
            {
                throw new ConfigException("'" + text + "' is not an integer");
            }
            if (value < min || value > max)
            {
                throw new ConfigException(value + " is out of range (expected " + min + ".." + max + ")");
            }
            return (int)value;
        });
    }

    /**
     * @param name        property name.
     * @param flag        short flag, or null.
     * @param defaultValue default, or null.
     * @param description one line for --help.
     * @return a boolean setting: true/false, yes/no, on/off.
     */
    public static Setting<Boolean> bool(
        final String name, final String flag, final String defaultValue, final String description)
    {
        return new Setting<>(name, flag, defaultValue, description, (text) ->
        {
            switch (text.toLowerCase(Locale.ROOT))
            {
                case "true":
                case "yes":
                case "on":
                case "1":
                    return Boolean.TRUE;
                case "false":
                case "no":
                case "off":
                case "0":
                    return Boolean.FALSE;
                default:
                    throw new ConfigException("'" + text + "' is not a boolean (expected true or false)");
            }
        });
    }

    /**
     * Durations are written with a unit: {@code 250us}, {@code 20ms}, {@code 30s}, {@code 5m}, {@code 1h}.
     *
     * @param name        property name.
     * @param flag        short flag, or null.
     * @param defaultValue default, or null.
     * @param description one line for --help.
     * @return a duration setting whose value is in nanoseconds.
     */
    public static Setting<Long> durationNs(
        final String name, final String flag, final String defaultValue, final String description)
    {
        return new Setting<>(name, flag, defaultValue, description, Settings::parseDurationNs);
    }

    /**
     * Sizes are written in bytes with an optional unit: {@code 1500}, {@code 64k}, {@code 16m}, {@code 1g}.
     *
     * @param name        property name.
     * @param flag        short flag, or null.
     * @param defaultValue default, or null.
     * @param description one line for --help.
     * @return a size setting whose value is in bytes.
     */
    public static Setting<Long> sizeBytes(
        final String name, final String flag, final String defaultValue, final String description)
    {
        return new Setting<>(name, flag, defaultValue, description, Settings::parseSizeBytes);
    }

    /**
     * @param name        property name.
     * @param flag        short flag, or null.
     * @param defaultValue default, or null.
     * @param type        the enum type; values are matched without regard to case, '-' standing for '_'.
     * @param description one line for --help.
     * @param <E>         the enum type.
     * @return an enum setting.
     */
    public static <E extends Enum<E>> Setting<E> enumeration(
        final String name,
        final String flag,
        final String defaultValue,
        final Class<E> type,
        final String description)
    {
        return new Setting<>(name, flag, defaultValue, description, (text) ->
        {
            final String wanted = text.replace('-', '_');
            for (final E value : type.getEnumConstants())
            {
                if (value.name().equalsIgnoreCase(wanted))
                {
                    return value;
                }
            }
            final StringBuilder expected = new StringBuilder();
            for (final E value : type.getEnumConstants())
            {
                expected.append(expected.length() == 0 ? "" : ", ").append(value.name().toLowerCase(Locale.ROOT));
            }
            throw new ConfigException("'" + text + "' is not one of " + expected);
        });
    }

    /**
     * Socket addresses are {@code HOST:PORT}, {@code [IPV6]:PORT} or {@code :PORT} (every address). Port 0 asks
     * the kernel for a free port.
     *
     * @param name        property name.
     * @param flag        short flag, or null.
     * @param defaultValue default, or null.
     * @param description one line for --help.
     * @return a socket address setting (resolved).
     */
    public static Setting<InetSocketAddress> socketAddress(
        final String name, final String flag, final String defaultValue, final String description)
    {
        return new Setting<>(name, flag, defaultValue, description, Settings::parseSocketAddress);
    }

    /**
     * @param name        property name.
     * @param flag        short flag, or null.
     * @param defaultValue default, or null.
     * @param description one line for --help.
     * @return a file system path setting.
     */
    public static Setting<Path> path(
        final String name, final String flag, final String defaultValue, final String description)
    {
        return new Setting<>(name, flag, defaultValue, description, Path::of);
    }

    /**
     * Combine the settings of several parts into one command's list. A setting named twice is kept once; when two
     * settings want the same short flag, the first keeps it and the later ones are reachable by full name only.
     *
     * @param groups settings of each part, in priority order.
     * @return the combined list.
     */
    @SafeVarargs
    public static List<Setting<?>> combine(final List<? extends Setting<?>>... groups)
    {
        final List<Setting<?>> result = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        final Set<String> flags = new HashSet<>();
        for (final List<? extends Setting<?>> group : groups)
        {
            for (final Setting<?> setting : group)
            {
                if (!names.add(setting.name()))
                {
                    continue;
                }
                if (setting.flag() != null && (!flags.add(setting.flag()) || names.contains(setting.flag())))
                {
                    result.add(setting.withoutFlag());
                }
                else
                {
                    result.add(setting);
                }
            }
        }
        return Collections.unmodifiableList(result);
    }

    /**
     * @param text e.g. {@code 20ms}.
     * @return nanoseconds.
     */
    public static long parseDurationNs(final String text)
    {
        final String t = text.trim().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < t.length() && (Character.isDigit(t.charAt(split)) || t.charAt(split) == '.'))
        {
            split++;
        }
        if (split == 0)
        {
            throw new ConfigException("'" + text + "' is not a duration (expected e.g. 250us, 20ms, 30s, 5m)");
        }
        final double number;
        try
        {
            number = Double.parseDouble(t.substring(0, split));
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException("'" + text + "' is not a duration (expected e.g. 250us, 20ms, 30s, 5m)");
        }
        final String unit = t.substring(split).trim();
        final long scale;
        switch (unit)
        {
            case "ns":
                scale = 1L;
                break;
            case "us":
                scale = 1_000L;
                break;
            case "ms":
                scale = 1_000_000L;
                break;
            case "s":
                scale = 1_000_000_000L;
                break;
            case "m":
                scale = 60_000_000_000L;
                break;
            case "h":
                scale = 3_600_000_000_000L;
                break;
            default:
                throw new ConfigException(
                    "'" + text + "' needs a unit: ns, us, ms, s, m or h (e.g. 20ms, 30s)");
        }
        return Math.round(number * scale);
    }

    /**
     * @param text e.g. {@code 64k}.
     * @return bytes.
     */
    public static long parseSizeBytes(final String text)
    {
        final String t = text.trim().toLowerCase(Locale.ROOT);
        long scale = 1;
        String digits = t;
        if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g"))
        {
            final char unit = t.charAt(t.length() - 1);
            scale = unit == 'k' ? 1024L : unit == 'm' ? 1024L * 1024 : 1024L * 1024 * 1024;
            digits = t.substring(0, t.length() - 1);
        }
        try
        {
            final long value = Long.parseLong(digits.trim());
            if (value < 0)
            {
                throw new ConfigException("'" + text + "' is negative");
            }
            return value * scale;
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException("'" + text + "' is not a size (expected e.g. 1500, 64k, 16m)");
        }
    }

    /**
     * @param text {@code HOST:PORT}, {@code [IPV6]:PORT} or {@code :PORT}.
     * @return the resolved address.
     */
    public static InetSocketAddress parseSocketAddress(final String text)
    {
        final String t = text.trim();
        final int colon = t.lastIndexOf(':');
        if (colon < 0)
        {
            throw new ConfigException("'" + text + "' is not HOST:PORT");
        }
        String host = t.substring(0, colon);
        final String portText = t.substring(colon + 1);
        final int port;
        try
        {
            port = Integer.parseInt(portText);
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException("'" + text + "' has no valid port (expected HOST:PORT)");
        }
        if (port < 0 || port > 65535)
        {
            throw new ConfigException("port " + port + " is out of range (expected 0..65535)");
        }
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        else if (host.indexOf(':') >= 0)
        {
            throw new ConfigException("'" + text + "': write IPv6 addresses in brackets, e.g. [::1]:3478");
        }
        try
        {
            final InetAddress address = host.isEmpty() || "*".equals(host) ?
                InetAddress.getByName("0.0.0.0") : InetAddress.getByName(host);
            return new InetSocketAddress(address, port);
        }
        catch (final UnknownHostException ex)
        {
            throw new ConfigException("host '" + host + "' does not resolve");
        }
    }
}
