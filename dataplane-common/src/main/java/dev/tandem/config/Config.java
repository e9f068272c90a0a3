package dev.tandem.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration of one command: values from, in rising precedence, the settings' defaults, a properties file
 * ({@code --config FILE}), the environment ({@code TANDEM_RELAY_WORKERS} for {@code relay.workers}) and
 * command-line flags ({@code --relay.workers 2}, {@code --workers=2}). Every value is parsed when the configuration
 * is built, so a bad one fails at start with a message that names the setting; unknown names fail too.
 */
public final class Config
{
    /** The flag that names a properties file. */
    public static final String CONFIG_FLAG = "config";

    private final List<Setting<?>> settings;
    private final Map<String, String> rawValues;
    private final Map<String, String> sources;
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final List<String> positional;
    private final boolean helpRequested;

    private Config(
        final List<Setting<?>> settings,
        final Map<String, String> rawValues,
        final Map<String, String> sources,
        final List<String> positional,
        final boolean helpRequested)
    {
        this.settings = List.copyOf(settings);
        this.rawValues = rawValues;
        this.sources = sources;
        this.positional = List.copyOf(positional);
        this.helpRequested = helpRequested;
        if (!helpRequested)
        {
            for (final Setting<?> setting : settings)
            {
                final String raw = rawValues.get(setting.name());
                if (raw != null)
                {
                    values.put(setting.name(), parseFrom(setting, raw));
                }
            }
        }
    }

    /**
     * Build a configuration from command-line arguments and the environment.
     *
     * @param settings the settings the command knows.
     * @param args     command-line arguments after the command name.
     * @return the parsed configuration.
     * @throws ConfigException for an unknown flag, a missing value, an unreadable file or a bad value.
     */
    public static Config parse(final List<Setting<?>> settings, final String[] args)
    {
        return parse(settings, args, System.getenv());
    }

    /**
     * Build a configuration from command-line arguments and a given environment (for tests).
     *
     * @param settings    the settings the command knows.
     * @param args        command-line arguments after the command name.
     * @param environment environment variables.
     * @return the parsed configuration.
     */
    public static Config parse(
        final List<Setting<?>> settings, final String[] args, final Map<String, String> environment)
    {
        final Map<String, Setting<?>> byName = new LinkedHashMap<>();
        for (final Setting<?> setting : settings)
        {
            register(byName, setting.name(), setting);
            if (setting.flag() != null)
            {
                register(byName, setting.flag(), setting);
            }
        }

        final Map<String, String> flagValues = new LinkedHashMap<>();
        final List<String> positional = new ArrayList<>();
        Path configFile = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if ("--help".equals(arg) || "-h".equals(arg))
            {
                help = true;
                continue;
            }
            if (!arg.startsWith("--"))
            {
                positional.add(arg);
                continue;
            }
            String key = arg.substring(2);
            String value = null;
            final int eq = key.indexOf('=');
            if (eq >= 0)
            {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            if (CONFIG_FLAG.equals(key))
            {
                if (value == null)
                {
                    if (i + 1 >= args.length)
                    {
                        throw new ConfigException("--config needs a file name");
                    }
                    value = args[++i];
                }
                configFile = Path.of(value);
                continue;
            }
            final Setting<?> setting = byName.get(key);
            if (setting == null)
            {
                throw new ConfigException("unknown option --" + key + " (see --help)");
            }
            if (value == null)
            {
                if (i + 1 >= args.length || (args[i + 1].startsWith("--") && !isNegativeNumber(args[i + 1])))
                {
                    throw new ConfigException("--" + key + " needs a value (" + setting.description() + ")");
                }
                value = args[++i];
            }
            flagValues.put(setting.name(), value);
        }

        final Map<String, String> raw = new LinkedHashMap<>();
        final Map<String, String> sources = new LinkedHashMap<>();
        for (final Setting<?> setting : settings)
        {
            if (setting.defaultValue() != null)
            {
                raw.put(setting.name(), setting.defaultValue());
                sources.put(setting.name(), "default");
            }
        }
        if (configFile != null && !help)
        {
            final Properties properties = readProperties(configFile);
            for (final String key : properties.stringPropertyNames())
            {
                final Setting<?> setting = byName.get(key);
                if (setting == null || !setting.name().equals(key))
                {
                    throw new ConfigException(configFile + ": unknown setting '" + key + "' (see --help)");
                }
                raw.put(key, properties.getProperty(key));
                sources.put(key, configFile.toString());
            }
        }
        for (final Setting<?> setting : settings)
        {
            final String env = environmentName(setting.name());
            final String value = environment.get(env);
            if (value != null)
            {
                raw.put(setting.name(), value);
                sources.put(setting.name(), "$" + env);
            }
        }
        for (final Map.Entry<String, String> entry : flagValues.entrySet())
        {
            raw.put(entry.getKey(), entry.getValue());
            sources.put(entry.getKey(), "command line");
        }
        return new Config(settings, raw, sources, positional, help);
    }

    /**
     * @param settings settings to describe.
     * @return the settings as an aligned table for {@code --help}.
     */
    public static String describe(final List<Setting<?>> settings)
    {
        int width = 0;
        for (final Setting<?> setting : settings)
        {
            width = Math.max(width, label(setting).length());
        }
        final StringBuilder out = new StringBuilder();
        for (final Setting<?> setting : settings)
        {
            final String label = label(setting);
            out.append("  ").append(label).append(" ".repeat(width - label.length() + 2)).append(setting.description());
            if (setting.defaultValue() != null)
            {
                out.append(" [default: ").append(setting.defaultValue().isEmpty() ? "\"\"" : setting.defaultValue())
                    .append(']');
            }
            out.append('\n');
        }
        out.append("\n  Every setting can also be given as --NAME VALUE, in a properties file (--config FILE) or as\n")
            .append("  an environment variable (relay.workers: TANDEM_RELAY_WORKERS). Flags win over the\n")
            .append("  environment, which wins over the file.\n");
        return out.toString();
    }

    /**
     * @param name a setting name such as {@code relay.workers}.
     * @return the environment variable for it, {@code TANDEM_RELAY_WORKERS}.
     */
    public static String environmentName(final String name)
    {
        return "TANDEM_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * @return true when {@code --help} or {@code -h} was given.
     */
    public boolean helpRequested()
    {
        return helpRequested;
    }

    /**
     * @return arguments that are not options, in order.
     */
    public List<String> positional()
    {
        return positional;
    }

    /**
     * @param setting a setting of this command.
     * @param <T>     its type.
     * @return its value.
     * @throws ConfigException when the setting has no value and no default.
     */
    public <T> T get(final Setting<T> setting)
    {
        final T value = getOrNull(setting);
        if (value == null)
        {
            throw new ConfigException(
                setting.name() + " is required (--" + (setting.flag() != null ? setting.flag() : setting.name()) +
                " or " + environmentName(setting.name()) + ")");
        }
        return value;
    }

    /**
     * @param setting a setting of this command.
     * @param <T>     its type.
     * @return its value, or null when it has none.
     */
    @SuppressWarnings("unchecked")
    public <T> T getOrNull(final Setting<T> setting)
    {
        if (!settings.contains(setting) && !containsName(setting.name()))
        {
            throw new IllegalArgumentException("setting not registered for this command: " + setting.name());
        }
        return (T)values.get(setting.name());
    }

    /**
     * @param setting a setting of this command.
     * @return true when the value came from a file, the environment or a flag rather than the default.
     */
    public boolean isExplicit(final Setting<?> setting)
    {
        final String source = sources.get(setting.name());
        return source != null && !"default".equals(source);
    }

    /**
     * @return each setting with its effective value and where it came from, for a start-up log line.
     */
    public Map<String, String> effective()
    {
        final Map<String, String> out = new LinkedHashMap<>();
        for (final Setting<?> setting : settings)
        {
            final String raw = rawValues.get(setting.name());
            if (raw != null)
            {
                final String shown = setting.isSecret() && !raw.isEmpty() ? "(secret)" : raw;
                out.put(setting.name(), shown + " (" + sources.get(setting.name()) + ")");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private boolean containsName(final String name)
    {
        for (final Setting<?> setting : settings)
        {
            if (setting.name().equals(name))
            {
                return true;
            }
        }
        return false;
    }

    private static Object parseFrom(final Setting<?> setting, final String raw)
    {
        return setting.parse(raw);
    }

    private static void register(final Map<String, Setting<?>> byName, final String key, final Setting<?> setting)
    {
        final Setting<?> previous = byName.put(key, setting);
        if (previous != null && previous != setting)
        {
            throw new IllegalStateException("two settings named " + key);
        }
    }

    private static boolean isNegativeNumber(final String text)
    {
        return text.length() > 1 && text.charAt(0) == '-' && Character.isDigit(text.charAt(1));
    }

    private static String label(final Setting<?> setting)
    {
        return setting.flag() != null ? "--" + setting.flag() + ", --" + setting.name() : "--" + setting.name();
    }

    private static Properties readProperties(final Path file)
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException ex)
        {
            throw new ConfigException("--config " + file + ": cannot read (" + ex.getMessage() + ")");
        }
        return properties;
    }
}
