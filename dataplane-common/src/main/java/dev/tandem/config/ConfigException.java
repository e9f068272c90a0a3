package dev.tandem.config;

/**
 * A configuration value that cannot be used. The message names the setting, the value and what was expected, so
 * that a bad configuration fails at start with something a person can act on.
 */
public final class ConfigException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message names the setting and what is wrong with it.
     */
    public ConfigException(final String message)
    {
        super(message);
    }
}
