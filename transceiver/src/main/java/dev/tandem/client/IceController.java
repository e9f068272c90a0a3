package dev.tandem.client;

import dev.tandem.crypto.HmacSha1;
import dev.tandem.stun.StunMessageEncoder;
import dev.tandem.stun.StunMessageFlyweight;
import dev.tandem.stun.StunStatus;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * The controlling ICE agent of one client call toward an ICE-lite server, for the one candidate pair the call uses
 * (RFC 8445 with a full agent's role and a lite peer, 6.1.1): connectivity checks that nominate at once (aggressive
 * nomination, USE-CANDIDATE on every check), retransmitted with backoff until an authenticated success response,
 * then consent freshness checks (RFC 7675) until consent is lost or the call ends.
 * <p>
 * Sans-IO: {@link #poll} writes the check to send now, {@link #onMessage} takes a validated STUN message, and
 * {@link #deadlineNs()} says when {@link #poll} has something to do next. Randomness (transaction ids) is injected.
 * One thread; allocation-free after construction.
 * <pre>
 *   CHECKING --authenticated success--> CONNECTED --no consent for consentTimeoutNs--> FAILED (consent lost)
 *       \--error response / no success within checkTimeoutNs--> FAILED
 * </pre>
 */
final class IceController
{
    /** Checking: connectivity checks go out until one succeeds. */
    static final int CHECKING = 0;
    /** Connected: the nominated pair works; consent checks keep it. */
    static final int CONNECTED = 1;
    /** Failed: see {@link #failure()}. */
    static final int FAILED = 2;

    /** {@link #onMessage} result: not a response to one of our transactions, or not authentic; ignored. */
    static final int IGNORED = 0;
    /** {@link #onMessage} result: the first authenticated success response: ICE is connected. */
    static final int CONNECTED_NOW = 1;
    /** {@link #onMessage} result: an authenticated success response to a later check (consent refreshed). */
    static final int CONSENT = 2;
    /** {@link #onMessage} result: an error response to our check: ICE failed. */
    static final int ERROR = 3;

    /** Failure: no authenticated success response within the check timeout. */
    static final int FAILURE_TIMEOUT = 1;
    /** Failure: the server answered a check with an error response ({@link #errorCode()}). */
    static final int FAILURE_ERROR_RESPONSE = 2;
    /** Failure: consent expired (RFC 7675 5.1). */
    static final int FAILURE_CONSENT = 3;

    /** RFC 8445 5.1.2.2: type preference of a peer-reflexive candidate, which the check's PRIORITY announces. */
    static final int PEER_REFLEXIVE_TYPE_PREFERENCE = 110;
    private static final int OUTSTANDING = 4;

    private final StunMessageEncoder encoder = new StunMessageEncoder();
    private final HmacSha1 mac = new HmacSha1();
    private final UnsafeBuffer username;
    private final int usernameLength;
    private final UnsafeBuffer transactionId = new UnsafeBuffer(new byte[StunMessageFlyweight.TRANSACTION_ID_LENGTH]);
    private final int[] outstandingHigh = new int[OUTSTANDING];
    private final long[] outstandingLow = new long[OUTSTANDING];
    private final long tieBreaker;
    private final long priority;
    private final LongSupplier random;
    private final long initialRtoNs;
    private final long maxRtoNs;
    private final long checkTimeoutNs;
    private final long consentIntervalNs;
    private final long consentTimeoutNs;

    private int state = CHECKING;
    private int failure;
    private int errorCode;
    private int outstandingCursor;
    private long startNs;
    private long nextSendNs = Long.MAX_VALUE;
    private long rtoNs;
    private long lastConsentNs;
    private long connectedNs;
    private long checksSent;
    private long retransmits;
    private long consentChecksSent;
    private long consentResponses;
    private long unauthenticated;
    private long mappedHigh;
    private long mappedLow;
    private int mappedPort = -1;

    /**
     * @param remoteUfrag       the server's ufrag (the route token).
     * @param localUfrag        our ufrag.
     * @param remotePassword    the server's ICE password: the MESSAGE-INTEGRITY key of our checks and of its
     *                          responses (RFC 8445 7.2.2, 7.2.5.2).
     * @param tieBreaker        our random 64-bit tie-breaker (RFC 8445 7.1.3).
     * @param random            random 64-bit values for transaction ids.
     * @param initialRtoNs      first retransmission timeout of a check (RFC 8445 14.3: Ta-paced, 50 ms here).
     * @param maxRtoNs          largest retransmission timeout: the backoff doubles up to it.
     * @param checkTimeoutNs    give up checking after this long.
     * @param consentIntervalNs mean interval of consent checks, randomised to 0.8-1.2 times (RFC 7675 5.1).
     * @param consentTimeoutNs  consent is lost after this long without an authenticated response (RFC 7675: 30 s).
     */
    IceController(
        final String remoteUfrag,
        final String localUfrag,
        final String remotePassword,
        final long tieBreaker,
        final LongSupplier random,
        final long initialRtoNs,
        final long maxRtoNs,
        final long checkTimeoutNs,
        final long consentIntervalNs,
        final long consentTimeoutNs)
    {
        // RFC 8445 7.2.2: USERNAME is the receiver's ufrag, a colon, then the sender's.
        final byte[] name = (remoteUfrag + ":" + localUfrag).getBytes(StandardCharsets.US_ASCII);
        this.username = new UnsafeBuffer(name);
        this.usernameLength = name.length;
        final byte[] key = remotePassword.getBytes(StandardCharsets.US_ASCII);
        mac.init(key, 0, key.length);
        this.tieBreaker = tieBreaker;
        // RFC 8445 7.1.1: the priority a peer-reflexive candidate learned from this check would get.
        this.priority = ((long)PEER_REFLEXIVE_TYPE_PREFERENCE << 24) + (65535L << 8) + (256 - 1);
        this.random = random;
        this.initialRtoNs = initialRtoNs;
        this.maxRtoNs = Math.max(initialRtoNs, maxRtoNs);
        this.checkTimeoutNs = checkTimeoutNs;
        this.consentIntervalNs = consentIntervalNs;
        this.consentTimeoutNs = consentTimeoutNs;
    }

    /**
     * Start checking: the first check is due now.
     *
     * @param nowNs now.
     */
    void start(final long nowNs)
    {
        startNs = nowNs;
        nextSendNs = nowNs;
        rtoNs = initialRtoNs;
        newTransaction();
    }

    /**
     * Write the check due now, if one is.
     *
     * @param nowNs  now.
     * @param out    where to write.
     * @param offset where the message starts; needs 128 bytes plus the USERNAME.
     * @return the message length, or 0 when nothing is due (or the agent failed: check {@link #state()}).
     */
    int poll(final long nowNs, final MutableDirectBuffer out, final int offset)
    {
        if (state == FAILED)
        {
            return 0;
        }
        if (state == CHECKING)
        {
            if (nowNs - startNs >= checkTimeoutNs)
            {
                fail(FAILURE_TIMEOUT);
                return 0;
            }
            if (nowNs < nextSendNs)
            {
                return 0;
            }
            if (checksSent > 0)
            {
                retransmits++;
            }
            checksSent++;
            // RFC 8489 6.2.1: a retransmission reuses the transaction id; the timeout doubles, bounded.
            nextSendNs = nowNs + rtoNs;
            rtoNs = Math.min(rtoNs * 2, maxRtoNs);
            return write(out, offset, true);
        }
        if (nowNs - lastConsentNs >= consentTimeoutNs)
        {
            // RFC 7675 5.1: no authenticated response for the consent timeout: stop sending.
            fail(FAILURE_CONSENT);
            return 0;
        }
        if (nowNs < nextSendNs)
        {
            return 0;
        }
        // RFC 7675 5.1: a new transaction each interval, randomised against synchronised bursts; not retransmitted,
        // the next check is the retry.
        newTransaction();
        consentChecksSent++;
        nextSendNs = nowNs + randomisedConsentInterval();
        return write(out, offset, false);
    }

    /**
     * Take a STUN message that came from the server's address.
     *
     * @param message a message that passed {@link StunMessageFlyweight#validate()}.
     * @param nowNs   its arrival time.
     * @return {@link #IGNORED}, {@link #CONNECTED_NOW}, {@link #CONSENT} or {@link #ERROR}.
     */
    int onMessage(final StunMessageFlyweight message, final long nowNs)
    {
        final int type = message.messageType();
        if ((type != StunMessageFlyweight.BINDING_SUCCESS_RESPONSE &&
            type != StunMessageFlyweight.BINDING_ERROR_RESPONSE) || !isOutstanding(message) || state == FAILED)
        {
            return IGNORED;
        }
        if (message.verifyFingerprint() != StunStatus.OK)
        {
            unauthenticated++;
            return IGNORED;
        }
        if (type == StunMessageFlyweight.BINDING_ERROR_RESPONSE)
        {
            // RFC 8445 7.2.5.2.4: an unrecoverable error response fails the pair; a 401 carries no integrity (the
            // server could not check ours), so it cannot be authenticated. We have one pair: ICE fails.
            errorCode = message.errorCode();
            if (state == CHECKING)
            {
                fail(FAILURE_ERROR_RESPONSE);
                return ERROR;
            }
            return IGNORED;
        }
        // RFC 8445 7.2.5.2: the response is authenticated with the same password as the request.
        if (message.verifyMessageIntegrity(mac) != StunStatus.OK)
        {
            unauthenticated++;
            return IGNORED;
        }
        mappedPort = message.xorMappedPort();
        mappedHigh = message.xorMappedAddressHigh();
        mappedLow = message.xorMappedAddressLow();
        lastConsentNs = nowNs;
        if (state == CHECKING)
        {
            state = CONNECTED;
            connectedNs = nowNs;
            nextSendNs = nowNs + randomisedConsentInterval();
            return CONNECTED_NOW;
        }
        consentResponses++;
        return CONSENT;
    }

    /**
     * @return when {@link #poll} next has work: a check or retransmission, a consent check, or a timeout.
     */
    long deadlineNs()
    {
        if (state == CHECKING)
        {
            return Math.min(nextSendNs, startNs + checkTimeoutNs);
        }
        if (state == CONNECTED)
        {
            return Math.min(nextSendNs, lastConsentNs + consentTimeoutNs);
        }
        return Long.MAX_VALUE;
    }

    /**
     * Stop: no more checks (the call ends).
     */
    void stop()
    {
        nextSendNs = Long.MAX_VALUE;
        state = FAILED;
    }

    int state()
    {
        return state;
    }

    int failure()
    {
        return failure;
    }

    int errorCode()
    {
        return errorCode;
    }

    long connectedNs()
    {
        return connectedNs;
    }

    long checksSent()
    {
        return checksSent;
    }

    long retransmits()
    {
        return retransmits;
    }

    long consentChecksSent()
    {
        return consentChecksSent;
    }

    long consentResponses()
    {
        return consentResponses;
    }

    long unauthenticated()
    {
        return unauthenticated;
    }

    int mappedPort()
    {
        return mappedPort;
    }

    long mappedLow()
    {
        return mappedLow;
    }

    private int write(final MutableDirectBuffer out, final int offset, final boolean nominate)
    {
        return encoder.bindingRequest(out, offset, transactionId, 0, username, 0, usernameLength, priority, true,
            tieBreaker, nominate, mac);
    }

    private void newTransaction()
    {
        // RFC 8489 6: a random 96-bit transaction id; matched later as 32 + 64 bits, big-endian.
        final int high = (int)random.getAsLong();
        final long low = random.getAsLong();
        transactionId.putInt(0, high, ByteOrder.BIG_ENDIAN);
        transactionId.putLong(4, low, ByteOrder.BIG_ENDIAN);
        outstandingCursor = (outstandingCursor + 1) % OUTSTANDING;
        outstandingHigh[outstandingCursor] = high;
        outstandingLow[outstandingCursor] = low;
    }

    private boolean isOutstanding(final StunMessageFlyweight message)
    {
        final int high = message.transactionIdHigh();
        final long low = message.transactionIdLow();
        for (int i = 0; i < OUTSTANDING; i++)
        {
            if (outstandingHigh[i] == high && outstandingLow[i] == low && (high != 0 || low != 0))
            {
                return true;
            }
        }
        return false;
    }

    private long randomisedConsentInterval()
    {
        // RFC 7675 5.1: uniformly 0.8 to 1.2 times the interval.
        final long spread = consentIntervalNs * 2 / 5;
        return consentIntervalNs * 4 / 5 + (spread > 0 ? Math.floorMod(random.getAsLong(), spread + 1) : 0);
    }

    private void fail(final int reason)
    {
        state = FAILED;
        failure = reason;
        nextSendNs = Long.MAX_VALUE;
    }
}
