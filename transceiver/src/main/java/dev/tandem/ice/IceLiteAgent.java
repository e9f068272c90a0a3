package dev.tandem.ice;

import dev.tandem.crypto.HmacSha1;
import dev.tandem.stun.StunMessageEncoder;
import dev.tandem.stun.StunMessageFlyweight;
import dev.tandem.stun.StunStatus;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The ICE-lite side of one session (RFC 8445 2.5): it never sends checks, it answers the client's, and it learns
 * from them which client addresses are reachable (validated), which one the client nominated (selected), and that
 * the client still wants media (consent, RFC 7675).
 * <p>
 * Sans-IO: a validated STUN message, its source address and {@code nowNs} in; a response written into the caller's
 * buffer, events, and the consent deadline out. One instance per session, used by one thread; {@link #reset} makes
 * it reusable for pooled sessions.
 */
public final class IceLiteAgent
{
    /** Event bit: the last check came from an address not validated before. */
    public static final int EVENT_NEW_ADDRESS = 1;
    /** Event bit: the last check nominated a pair other than the selected one, which it now is. */
    public static final int EVENT_NOMINATED = 2;
    /** Event bit: the last check was the first authenticated one of the session. */
    public static final int EVENT_FIRST_CHECK = 4;
    /** Event bit: remembering a new address forgot an old one ({@link #evictedHigh()} and friends). */
    public static final int EVENT_EVICTED = 8;

    /** How many distinct client addresses a session remembers as validated. */
    public static final int MAX_ADDRESSES = 8;

    private final HmacSha1 mac = new HmacSha1();
    private final StunMessageEncoder encoder = new StunMessageEncoder();
    private final byte[] expectedUsername = new byte[StunMessageFlyweight.MAX_USERNAME_LENGTH];
    private final long[] addressHigh = new long[MAX_ADDRESSES];
    private final long[] addressLow = new long[MAX_ADDRESSES];
    private final int[] addressPort = new int[MAX_ADDRESSES];
    private final long[] addressLastSeenNs = new long[MAX_ADDRESSES];
    private int expectedUsernameLength;
    private int addressCount;
    private int selected = -1;
    private long consentTimeoutNs;
    private long lastConsentNs;
    private long firstCheckNs;
    private boolean hadCheck;
    private int lastStatus;
    private int lastEvents;
    private long checks;
    private long evictedHigh;
    private long evictedLow;
    private int evictedPort;

    /**
     * Prepare for a new session (cold path: keys the MAC).
     *
     * @param localUfrag       our ICE ufrag (the route token).
     * @param localPassword    our ICE password: the MESSAGE-INTEGRITY key of checks sent to us (RFC 8445 7.2.2).
     * @param remoteUfrag      the client's ufrag from its offer.
     * @param consentTimeoutNs how long without an authenticated check before consent expires (RFC 7675: 30 s).
     * @param nowNs            the current time: consent starts now, so a session that never sees a check expires.
     * @return this.
     */
    public IceLiteAgent reset(
        final String localUfrag,
        final String localPassword,
        final String remoteUfrag,
        final long consentTimeoutNs,
        final long nowNs)
    {
        final byte[] username = (localUfrag + ":" + remoteUfrag).getBytes(StandardCharsets.US_ASCII);
        if (username.length > expectedUsername.length)
        {
            throw new IllegalArgumentException("ICE username too long: " + username.length);
        }
        System.arraycopy(username, 0, expectedUsername, 0, username.length);
        expectedUsernameLength = username.length;
        final byte[] key = localPassword.getBytes(StandardCharsets.US_ASCII);
        mac.init(key, 0, key.length);
        this.consentTimeoutNs = consentTimeoutNs;
        this.lastConsentNs = nowNs;
        this.firstCheckNs = 0;
        this.hadCheck = false;
        this.addressCount = 0;
        this.selected = -1;
        this.lastStatus = IceStatus.IGNORED;
        this.lastEvents = 0;
        this.checks = 0;
        return this;
    }

    /**
     * Handle a STUN message from a client address and write the answer, if any.
     *
     * @param message   a message that passed {@link StunMessageFlyweight#validate()}.
     * @param high      source address, upper half (as the relay saw it).
     * @param low       source address, lower half.
     * @param port      source port.
     * @param nowNs     current time.
     * @param out       where to write the response.
     * @param outOffset where it starts; needs {@link StunMessageEncoder#MAX_BINDING_RESPONSE_LENGTH} bytes.
     * @return the response length, or 0 when nothing is to be sent; {@link #lastStatus()} says why.
     */
    public int onStun(
        final StunMessageFlyweight message,
        final long high,
        final long low,
        final int port,
        final long nowNs,
        final MutableDirectBuffer out,
        final int outOffset)
    {
        lastEvents = 0;
        if (message.messageType() != StunMessageFlyweight.BINDING_REQUEST)
        {
            lastStatus = IceStatus.IGNORED;
            return 0;
        }
        if (message.verifyFingerprint() != StunStatus.OK)
        {
            lastStatus = IceStatus.BAD_FINGERPRINT;
            return 0;
        }
        final DirectBuffer buffer = message.buffer();
        final int transactionId = message.transactionIdOffset();
        if (message.unknownComprehensionRequired() >= 0)
        {
            lastStatus = IceStatus.UNKNOWN_ATTRIBUTE;
            return encoder.wrap(out, outOffset)
                .header(StunMessageFlyweight.BINDING_ERROR_RESPONSE, buffer, transactionId)
                .errorCode(420)
                .unknownAttribute(message.unknownComprehensionRequired())
                .fingerprint()
                .length();
        }
        if (message.usernameOffset() < 0 || !message.hasMessageIntegrity())
        {
            lastStatus = IceStatus.MISSING_CREDENTIALS;
            return encoder.bindingErrorResponse(out, outOffset, buffer, transactionId, 400, null);
        }
        if (!usernameMatches(buffer, message.usernameOffset(), message.usernameLength()))
        {
            lastStatus = IceStatus.BAD_USERNAME;
            return encoder.bindingErrorResponse(out, outOffset, buffer, transactionId, 401, null);
        }
        if (message.verifyMessageIntegrity(mac) != StunStatus.OK)
        {
            lastStatus = IceStatus.BAD_INTEGRITY;
            return encoder.bindingErrorResponse(out, outOffset, buffer, transactionId, 401, null);
        }
        if (message.hasIceControlled())
        {
            // RFC 8445 6.1.1: a lite agent is always controlled, so a controlled peer must switch roles.
            lastStatus = IceStatus.ROLE_CONFLICT;
            return encoder.bindingErrorResponse(out, outOffset, buffer, transactionId, 487, mac);
        }

        // RFC 7675 / DESIGN.md: every authenticated check counts as consent, with or without USE-CANDIDATE.
        checks++;
        lastConsentNs = nowNs;
        if (!hadCheck)
        {
            hadCheck = true;
            firstCheckNs = nowNs;
            lastEvents |= EVENT_FIRST_CHECK;
        }
        int index = indexOf(high, low, port);
        if (index < 0)
        {
            index = remember(high, low, port);
            lastEvents |= EVENT_NEW_ADDRESS;
        }
        addressLastSeenNs[index] = nowNs;
        // RFC 8445 7.3.1.5 and 8.2: the controlling agent nominates with USE-CANDIDATE; follow its latest choice.
        if (message.useCandidate() && selected != index)
        {
            selected = index;
            lastEvents |= EVENT_NOMINATED;
        }
        lastStatus = IceStatus.OK;
        return encoder.bindingSuccessResponse(out, outOffset, buffer, transactionId, high, low, port, mac);
    }

    /**
     * @return the outcome of the last {@link #onStun} call.
     */
    public int lastStatus()
    {
        return lastStatus;
    }

    /**
     * @return event bits of the last {@link #onStun} call.
     */
    public int lastEvents()
    {
        return lastEvents;
    }

    /**
     * DTLS and media are accepted only from addresses that passed an authenticated check: the proof of
     * reachability a DTLS cookie would give (DESIGN.md).
     *
     * @param high address, upper half.
     * @param low  address, lower half.
     * @param port port.
     * @return true when the address passed an authenticated check.
     */
    public boolean isValidated(final long high, final long low, final int port)
    {
        return indexOf(high, low, port) >= 0;
    }

    /**
     * @return true once any authenticated check arrived.
     */
    public boolean hadCheck()
    {
        return hadCheck;
    }

    /**
     * @return time of the first authenticated check.
     */
    public long firstCheckNs()
    {
        return firstCheckNs;
    }

    /**
     * @return authenticated checks so far.
     */
    public long checks()
    {
        return checks;
    }

    /**
     * @return true when the client nominated a pair.
     */
    public boolean hasSelected()
    {
        return selected >= 0;
    }

    /**
     * @return upper half of the selected address (the nominated one, or else the last validated).
     */
    public long selectedHigh()
    {
        return addressHigh[current()];
    }

    /**
     * @return lower half of the selected address.
     */
    public long selectedLow()
    {
        return addressLow[current()];
    }

    /**
     * @return port of the selected address.
     */
    public int selectedPort()
    {
        return addressPort[current()];
    }

    /**
     * @return how many addresses are validated.
     */
    public int addressCount()
    {
        return addressCount;
    }

    /**
     * @param index 0 .. addressCount - 1.
     * @return upper half of a validated address.
     */
    public long addressHigh(final int index)
    {
        return addressHigh[index];
    }

    /**
     * @param index 0 .. addressCount - 1.
     * @return lower half of a validated address.
     */
    public long addressLow(final int index)
    {
        return addressLow[index];
    }

    /**
     * @param index 0 .. addressCount - 1.
     * @return port of a validated address.
     */
    public int addressPort(final int index)
    {
        return addressPort[index];
    }

    /**
     * @return upper half of the address forgotten by the last check ({@link #EVENT_EVICTED}).
     */
    public long evictedHigh()
    {
        return evictedHigh;
    }

    /**
     * @return lower half of the address forgotten by the last check.
     */
    public long evictedLow()
    {
        return evictedLow;
    }

    /**
     * @return port of the address forgotten by the last check.
     */
    public int evictedPort()
    {
        return evictedPort;
    }

    /**
     * @return when consent expires unless another authenticated check arrives (RFC 7675 5.1).
     */
    public long consentDeadlineNs()
    {
        return lastConsentNs + consentTimeoutNs;
    }

    /**
     * @param nowNs current time.
     * @return true when consent has expired.
     */
    public boolean isConsentExpired(final long nowNs)
    {
        return nowNs - lastConsentNs >= consentTimeoutNs;
    }

    private int current()
    {
        if (selected >= 0)
        {
            return selected;
        }
        if (addressCount == 0)
        {
            throw new IllegalStateException("no validated address");
        }
        int latest = 0;
        for (int i = 1; i < addressCount; i++)
        {
            if (addressLastSeenNs[i] - addressLastSeenNs[latest] > 0)
            {
                latest = i;
            }
        }
        return latest;
    }

    private boolean usernameMatches(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length != expectedUsernameLength)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(offset + i) != expectedUsername[i])
            {
                return false;
            }
        }
        return true;
    }

    private int indexOf(final long high, final long low, final int port)
    {
        for (int i = 0; i < addressCount; i++)
        {
            if (addressLow[i] == low && addressPort[i] == port && addressHigh[i] == high)
            {
                return i;
            }
        }
        return -1;
    }

    private int remember(final long high, final long low, final int port)
    {
        int index = addressCount;
        if (addressCount == MAX_ADDRESSES)
        {
            // Forget the address heard from longest ago, never the selected one.
            index = selected == 0 ? 1 : 0;
            for (int i = 0; i < MAX_ADDRESSES; i++)
            {
                if (i != selected && addressLastSeenNs[i] - addressLastSeenNs[index] < 0)
                {
                    index = i;
                }
            }
            evictedHigh = addressHigh[index];
            evictedLow = addressLow[index];
            evictedPort = addressPort[index];
            lastEvents |= EVENT_EVICTED;
        }
        else
        {
            addressCount++;
        }
        addressHigh[index] = high;
        addressLow[index] = low;
        addressPort[index] = port;
        return index;
    }
}
