package dev.tandem.route;

import dev.tandem.config.ConfigException;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The secrets that sign route tokens, by key id (1..255), shared by every relay and transceiver of a deployment.
 * One key is current and mints new tokens; every key in the ring verifies. Rotation: add the new key to every
 * process, then make it current on the transceivers, then drop the old key once no session minted with it is left.
 * <p>
 * Text form ({@link RouteSettings#KEYS}): {@code ID:BASE64,ID:BASE64,...}, each key exactly 32 random bytes in
 * standard base64 (padding optional), e.g. {@code 1:$(openssl rand -base64 32)} or {@link #generateKeySpec}.
 * Immutable once parsed and safe to share between threads. Error messages and {@link #toString()} never show key
 * material.
 */
public final class RouteKeyRing
{
    /** Length of each key in bytes. */
    public static final int KEY_LENGTH = 32;

    private static final int KEY_ID_COUNT = RouteToken.MAX_KEY_ID + 1;

    private final byte[][] innerPads = new byte[KEY_ID_COUNT][];
    private final byte[][] outerPads = new byte[KEY_ID_COUNT][];
    private final int[] keyIds;
    private final int currentKeyId;

    private RouteKeyRing(final byte[][] keys, final int currentKeyId)
    {
        int count = 0;
        for (int id = RouteToken.MIN_KEY_ID; id < KEY_ID_COUNT; id++)
        {
            if (keys[id] != null)
            {
                // RFC 2104 2: the key, zero-padded to a block, XOR ipad / opad; computed once per key
                final byte[] innerPad = new byte[RouteMac.BLOCK_LENGTH];
                final byte[] outerPad = new byte[RouteMac.BLOCK_LENGTH];
                for (int i = 0; i < RouteMac.BLOCK_LENGTH; i++)
                {
                    final byte b = i < keys[id].length ? keys[id][i] : 0;
                    innerPad[i] = (byte)(b ^ 0x36);
                    outerPad[i] = (byte)(b ^ 0x5c);
                }
                innerPads[id] = innerPad;
                outerPads[id] = outerPad;
                count++;
            }
        }
        keyIds = new int[count];
        int i = 0;
        for (int id = RouteToken.MIN_KEY_ID; id < KEY_ID_COUNT; id++)
        {
            if (keys[id] != null)
            {
                keyIds[i++] = id;
            }
        }
        this.currentKeyId = currentKeyId;
    }

    /**
     * Parse the text form (cold path).
     *
     * @param keys         {@code ID:BASE64,ID:BASE64}; whitespace around entries is ignored.
     * @param currentKeyId the key id that mints new tokens; must be in {@code keys}.
     * @return the ring.
     * @throws ConfigException naming the setting and the problem (never the key material).
     */
    public static RouteKeyRing parse(final String keys, final int currentKeyId)
    {
        final String setting = RouteSettings.KEYS.name();
        if (keys == null || keys.isBlank())
        {
            throw new ConfigException(setting + ": no keys given (expected ID:BASE64 of " + KEY_LENGTH +
                " random bytes, e.g. 1:$(openssl rand -base64 32))");
        }
        final byte[][] byId = new byte[KEY_ID_COUNT][];
        final String[] entries = keys.split(",", -1);
        int count = 0;
        for (int e = 0; e < entries.length; e++)
        {
            final String entry = entries[e].trim();
            if (entry.isEmpty())
            {
                continue;
            }
            final int colon = entry.indexOf(':');
            if (colon < 0)
            {
                throw new ConfigException(setting + ": entry " + (e + 1) + " is not ID:BASE64");
            }
            final int id = parseKeyId(setting, entry.substring(0, colon).trim());
            if (byId[id] != null)
            {
                throw new ConfigException(setting + ": key id " + id + " appears twice");
            }
            final byte[] key;
            try
            {
                key = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigException(setting + ": key " + id + " is not valid base64");
            }
            if (key.length != KEY_LENGTH)
            {
                throw new ConfigException(
                    setting + ": key " + id + " is " + key.length + " bytes, expected " + KEY_LENGTH);
            }
            if (isAllZero(key))
            {
                throw new ConfigException(setting + ": key " + id + " is all zeros (use random bytes)");
            }
            byId[id] = key;
            count++;
        }
        if (count == 0)
        {
            throw new ConfigException(setting + ": no keys given (expected ID:BASE64 of " + KEY_LENGTH + " bytes)");
        }
        if (currentKeyId < RouteToken.MIN_KEY_ID || currentKeyId > RouteToken.MAX_KEY_ID ||
            byId[currentKeyId] == null)
        {
            final StringBuilder ids = new StringBuilder();
            for (int id = RouteToken.MIN_KEY_ID; id < KEY_ID_COUNT; id++)
            {
                if (byId[id] != null)
                {
                    ids.append(ids.length() == 0 ? "" : ", ").append(id);
                }
            }
            throw new ConfigException(RouteSettings.CURRENT_KEY.name() + ": key id " + currentKeyId +
                " is not in " + setting + " (ids " + ids + ")");
        }
        final RouteKeyRing ring = new RouteKeyRing(byId, currentKeyId);
        for (final byte[] key : byId)
        {
            if (key != null)
            {
                Arrays.fill(key, (byte)0);
            }
        }
        return ring;
    }

    /**
     * A fresh random key in the text form, for operators and the demo.
     *
     * @param keyId 1..255.
     * @return {@code "<id>:<base64 of 32 random bytes>"}.
     */
    public static String generateKeySpec(final int keyId)
    {
        if (keyId < RouteToken.MIN_KEY_ID || keyId > RouteToken.MAX_KEY_ID)
        {
            throw new IllegalArgumentException("key id " + keyId + " is out of range 1..255");
        }
        final byte[] key = new byte[KEY_LENGTH];
        new SecureRandom().nextBytes(key);
        return keyId + ":" + Base64.getEncoder().encodeToString(key);
    }

    /**
     * @return the key id that mints new tokens.
     */
    public int currentKeyId()
    {
        return currentKeyId;
    }

    /**
     * @param keyId any int.
     * @return true when tokens signed with that key id verify.
     */
    public boolean contains(final int keyId)
    {
        return keyId >= 0 && keyId < KEY_ID_COUNT && innerPads[keyId] != null;
    }

    /**
     * @return the key ids in the ring, ascending (a copy).
     */
    public int[] keyIds()
    {
        return keyIds.clone();
    }

    byte[] innerPad(final int keyId)
    {
        return innerPads[keyId];
    }

    byte[] outerPad(final int keyId)
    {
        return outerPads[keyId];
    }

    @Override
    public String toString()
    {
        return "RouteKeyRing{current=" + currentKeyId + ", ids=" + Arrays.toString(keyIds) + "}";
    }

    private static int parseKeyId(final String setting, final String text)
    {
        final int id;
        try
        {
            id = Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException(setting + ": key id '" + text + "' is not an integer 1..255");
        }
        if (id < RouteToken.MIN_KEY_ID || id > RouteToken.MAX_KEY_ID)
        {
            throw new ConfigException(setting + ": key id " + id + " is out of range 1..255");
        }
        return id;
    }

    private static boolean isAllZero(final byte[] key)
    {
        int bits = 0;
        for (final byte b : key)
        {
            bits |= b;
        }
        return bits == 0;
    }
}
