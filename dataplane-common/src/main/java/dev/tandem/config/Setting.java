package dev.tandem.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * One named configuration setting: its property name, an optional short command-line flag, a default, a
 * description for {@code --help}, and a parser that validates a text value.
 *
 * @param <T> the type of the parsed value.
 */
public final class Setting<T>
{
    private final String name;
    private final String flag;
    private final String defaultValue;
    private final String description;
    private final Function<String, T> parser;
    private final boolean secret;

    Setting(
        final String name,
        final String flag,
        final String defaultValue,
        final String description,
        final Function<String, T> parser)
    {
        this(name, flag, defaultValue, description, parser, false);
    }

    Setting(
        final String name,
        final String flag,
        final String defaultValue,
        final String description,
        final Function<String, T> parser,
        final boolean secret)
    {
        this.secret = secret;
        this.name = Objects.requireNonNull(name, "name");
        this.flag = flag;
        this.defaultValue = defaultValue;
        this.description = Objects.requireNonNull(description, "description");
        this.parser = Objects.requireNonNull(parser, "parser");
    }

    /**
     * @return the property name, e.g. {@code relay.workers}.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return the short command-line flag without dashes, e.g. {@code workers}, or null when there is none.
     */
    public String flag()
    {
        return flag;
    }

    /**
     * @return the default as text, or null when the setting has no default (it is optional or required).
     */
    public String defaultValue()
    {
        return defaultValue;
    }

    /**
     * @return true when the value is a secret: logs and {@link Config#effective()} show it masked.
     */
    public boolean isSecret()
    {
        return secret;
    }

    /**
     * @return one line saying what the setting does.
     */
    public String description()
    {
        return description;
    }

    /**
     * Parse a text value, failing with a message that names this setting.
     *
     * @param text the value as written in a file or on the command line.
     * @return the parsed value.
     * @throws ConfigException naming the setting when the text is not valid.
     */
    public T parse(final String text)
    {
        try
        {
            return parser.apply(text.trim());
        }
        catch (final ConfigException ex)
        {
            throw new ConfigException(name + ": " + ex.getMessage());
        }
        catch (final RuntimeException ex)
        {
            throw new ConfigException(name + ": invalid value '" + text + "' (" + ex.getMessage() + ")");
        }
    }

    /**
     * @return a copy of this setting with another default, for commands whose defaults differ (the demo).
     * @param newDefault the default for the copy.
     */
    public Setting<T> withDefault(final String newDefault)
    {
        return new Setting<>(name, flag, newDefault, description, parser, secret);
    }

    /**
     * @return a copy of this setting without its short flag (only the full name works), for commands that combine
     *     the settings of several parts whose short flags collide.
     */
    public Setting<T> withoutFlag()
    {
        return flag == null ? this : new Setting<>(name, null, defaultValue, description, parser, secret);
    }

    @Override
    public String toString()
    {
        return name;
    }
}
