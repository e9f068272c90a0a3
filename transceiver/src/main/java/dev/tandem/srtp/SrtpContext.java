package dev.tandem.srtp;

import dev.tandem.crypto.HmacSha1;

import java.util.Arrays;

/**
 * One direction of one SRTP session (RFC 3711, RFC 7714): an outbound context protects what Tandem sends, an
 * inbound context unprotects what a browser sends. Holds the session keys derived from one master key and salt,
 * and per SSRC the rollover counter, highest index and replay window for SRTP, and the SRTCP index and replay
 * window, for at most {@code maxSsrcs} SSRCs.
 * <p>
 * Packets are processed in place in a {@code byte[]}: protecting appends a trailer, so the array needs up to
 * {@link #MAX_TRAILER} bytes after the packet. Per-packet calls allocate nothing, take no lock and never throw
 * on hostile input: they return a length, or a negative {@link SrtpStatus}. One thread per context.
 * <pre>
 * SRTP (RFC 3711 3.1)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |V=2|P|X|  CC   |M|     PT      |       sequence number         | \
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
 *  |                           timestamp                           | | header: authenticated,
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ | never encrypted (GCM: the AAD)
 *  |                             SSRC                              | |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
 *  |            CC CSRCs, then (X=1) the header extension          | /
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |              payload (RTP padding included, opaque)           |  encrypted and authenticated
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |    authentication tag: 10 bytes (AES-CM) or 16 bytes (GCM)    |  the trailer (no MKI)
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * SRTCP (RFC 3711 3.4, RFC 7714 9)
 *  | V=2 P RC PT length | sender SSRC | rest of the compound packet, encrypted |  trailer  |
 *    AES-CM trailer: | E | SRTCP index (31 bits) | tag (10) |
 *    GCM trailer:    | tag (16) | E | SRTCP index (31 bits) |
 * </pre>
 * Index rules: the SRTP index is estimated from the sequence number and the highest index seen (RFC 3711 3.3.1,
 * Appendix A), so sequence numbers rolling over 65535 advance the ROC, and late packets from before a rollover
 * still decrypt with the old ROC. The replay window holds {@link #REPLAY_WINDOW} packets (RFC 3711 3.3.2). State
 * changes only after a packet authenticates, so a forged or altered packet leaves the context as it was. The
 * outbound side refuses to reuse an index (same sequence number twice), which would reuse keystream. SRTCP
 * indices start at 0 (RFC 3711 3.3.2) and increase per packet and SSRC; E=0 (unencrypted) SRTCP is accepted
 * inbound, outbound always encrypts.
 * <p>
 * Crypto path: when the JVM opens {@code java.base/com.sun.crypto.provider} and {@code sun.security.provider}
 * ({@code config/jvm.options} does), AES-CTR, GHASH and the SHA-1 compression run on the JDK's intrinsified
 * internals directly; otherwise on the public JCA, slower, and GCM's GHASH then falls back to Java tables that are
 * not constant-time. {@link #implementation()} says which path this JVM takes and why.
 */
public final class SrtpContext
{
    /** Most bytes any profile appends to a packet (GCM SRTCP: 16-byte tag and 4-byte E/index word). */
    public static final int MAX_TRAILER = 20;
    /** Size of the SRTP and SRTCP replay windows in packets (RFC 3711 3.3.2 asks for at least 64). */
    public static final int REPLAY_WINDOW = 128;
    /** SSRCs tracked when the constructor is not told otherwise. */
    public static final int DEFAULT_MAX_SSRCS = 16;
    /** Upper bound for {@code maxSsrcs}: SSRCs are found by a linear scan. */
    public static final int MAX_SSRCS_LIMIT = 256;

    private static final int RTP_HEADER_LENGTH = 12;
    private static final int RTCP_HEADER_LENGTH = 8;
    private static final int WINDOW_WORDS = REPLAY_WINDOW / 64;
    private static final long MAX_ROC = 0xFFFF_FFFFL;
    private static final int MAX_SRTCP_INDEX = 0x7FFF_FFFF;
    private static final long NONE = -1;

    private final SrtpProfile profile;
    private final SrtpTransform transform;
    private final int rtpTrailerLength;
    private final int rtcpTrailerLength;
    private final int rtcpIndexFromEnd;
    private final int maxSsrcs;

    private final int[] ssrcs;
    private final long[] rtpHighestIndex;
    private final long[] rtpWindow;
    private final long[] rtcpHighestIndex;
    private final long[] rtcpWindow;
    private final long[] rtcpNextIndex;
    private int ssrcCount;
    private int lastSlot;
    private final long[] statusCounts = new long[SrtpStatus.CODE_COUNT];

    /**
     * A context for {@link #DEFAULT_MAX_SSRCS} SSRCs, on the fastest crypto path this JVM allows.
     *
     * @param profile    the negotiated protection profile.
     * @param masterKey  the master key ({@link SrtpProfile#keyLength()} bytes, copied).
     * @param masterSalt the master salt ({@link SrtpProfile#saltLength()} bytes, copied).
     */
    public SrtpContext(final SrtpProfile profile, final byte[] masterKey, final byte[] masterSalt)
    {
        this(profile, masterKey, masterSalt, DEFAULT_MAX_SSRCS, true);
    }

    /**
     * Derive the session keys (RFC 3711 4.3 with key_derivation_rate 0; RFC 7714 11) and set up an empty context.
     *
     * @param profile           the negotiated protection profile.
     * @param masterKey         the master key ({@link SrtpProfile#keyLength()} bytes, copied).
     * @param masterSalt        the master salt ({@link SrtpProfile#saltLength()} bytes, copied).
     * @param maxSsrcs          how many SSRCs to track, 1 to {@link #MAX_SSRCS_LIMIT}; a further one is refused
     *                          with {@link SrtpStatus#UNKNOWN_SSRC_LIMIT}.
     * @param allowJdkInternals use the JDK's intrinsified AES-CTR, GHASH and SHA-1 compression directly when this
     *                          JVM opens them (see {@link #implementation()}); false forces the public JCA path.
     */
    public SrtpContext(
        final SrtpProfile profile,
        final byte[] masterKey,
        final byte[] masterSalt,
        final int maxSsrcs,
        final boolean allowJdkInternals)
    {
        this(profile, transform(profile, checkLength(masterKey, profile.keyLength(), "master key"),
            checkLength(masterSalt, profile.saltLength(), "master salt"), allowJdkInternals), maxSsrcs);
    }

    SrtpContext(final SrtpProfile profile, final SrtpTransform transform, final int maxSsrcs)
    {
        if (maxSsrcs < 1 || maxSsrcs > MAX_SSRCS_LIMIT)
        {
            throw new IllegalArgumentException("maxSsrcs must be 1.." + MAX_SSRCS_LIMIT + ": " + maxSsrcs);
        }
        this.profile = profile;
        this.transform = transform;
        this.rtpTrailerLength = transform.rtpTrailerLength;
        this.rtcpTrailerLength = transform.rtcpTrailerLength;
        this.rtcpIndexFromEnd = transform.rtcpIndexFromEnd;
        this.maxSsrcs = maxSsrcs;
        ssrcs = new int[maxSsrcs];
        rtpHighestIndex = new long[maxSsrcs];
        rtpWindow = new long[maxSsrcs * WINDOW_WORDS];
        rtcpHighestIndex = new long[maxSsrcs];
        rtcpWindow = new long[maxSsrcs * WINDOW_WORDS];
        rtcpNextIndex = new long[maxSsrcs];
    }

    /**
     * Build a context from DTLS-exported keying material (RFC 5764 4.2): client write key, server write key,
     * client write salt, server write salt.
     *
     * @param profile          the negotiated protection profile.
     * @param keyingMaterial   {@link SrtpProfile#keyingMaterialLength()} bytes exported with the label
     *                         "EXTRACTOR-dtls_srtp".
     * @param clientWriteSide  true for the keys the DTLS client protects with (a DTLS server unprotects with them),
     *                         false for the server's.
     * @return a context with {@link #DEFAULT_MAX_SSRCS} SSRCs.
     */
    public static SrtpContext fromKeyingMaterial(
        final SrtpProfile profile, final byte[] keyingMaterial, final boolean clientWriteSide)
    {
        if (keyingMaterial.length != profile.keyingMaterialLength())
        {
            throw new IllegalArgumentException("keying material must be " + profile.keyingMaterialLength() +
                " bytes for " + profile + ": " + keyingMaterial.length);
        }
        final int keyLength = profile.keyLength();
        final int saltLength = profile.saltLength();
        final int keyOffset = clientWriteSide ? 0 : keyLength;
        final int saltOffset = 2 * keyLength + (clientWriteSide ? 0 : saltLength);
        return new SrtpContext(
            profile,
            Arrays.copyOfRange(keyingMaterial, keyOffset, keyOffset + keyLength),
            Arrays.copyOfRange(keyingMaterial, saltOffset, saltOffset + saltLength));
    }

    /**
     * @return a description of the crypto path {@code allowJdkInternals = true} takes in this JVM, and why any
     * JDK internal is unavailable.
     */
    public static String implementation()
    {
        final StringBuilder builder = new StringBuilder();
        builder.append("AES-CTR: ").append(JdkCrypto.COUNTER_MODE_AVAILABLE ?
            "JDK CounterMode (intrinsic)" : "JCA Cipher.init per packet (" + JdkCrypto.COUNTER_MODE_REASON + ")");
        builder.append("; GHASH: ").append(JdkCrypto.GHASH_AVAILABLE ?
            "JDK GHASH (intrinsic, constant-time)" :
            "Java 8-bit tables, NOT constant-time (" + JdkCrypto.GHASH_REASON + ")");
        builder.append("; HMAC-SHA1: ").append(HmacSha1.implementation());
        return builder.toString();
    }

    /**
     * @return true when every primitive of both profiles can run on the JDK's internals in this JVM.
     */
    public static boolean jdkInternalsAvailable()
    {
        return JdkCrypto.COUNTER_MODE_AVAILABLE && JdkCrypto.GHASH_AVAILABLE &&
            HmacSha1.jdkInternalsAvailable();
    }

    /**
     * @return the crypto implementations this context runs.
     */
    public String cryptoPath()
    {
        return transform.implementation();
    }

    /**
     * @return the profile this context was built for.
     */
    public SrtpProfile profile()
    {
        return profile;
    }

    /**
     * Protect an RTP packet in place (RFC 3711 3.3; RFC 7714 8): encrypt the payload and append the tag.
     *
     * @param packet the array; needs {@link SrtpProfile#rtpTrailerLength()} bytes of room after the packet.
     * @param offset where the RTP packet starts.
     * @param length RTP packet length.
     * @return the SRTP length, or a negative {@link SrtpStatus}: TOO_SHORT, BAD_VERSION, NO_TAILROOM,
     * BAD_ARGUMENT, UNKNOWN_SSRC_LIMIT, REPLAYED or TOO_OLD (index already used or too far back), KEY_EXPIRED.
     */
    public int protectRtp(final byte[] packet, final int offset, final int length)
    {
        if (!inBounds(packet, offset, length))
        {
            return count(SrtpStatus.BAD_ARGUMENT);
        }
        final int headerLength = rtpHeaderLength(packet, offset, length);
        if (headerLength < 0)
        {
            return count(headerLength);
        }
        if (packet.length - offset - length < rtpTrailerLength)
        {
            return count(SrtpStatus.NO_TAILROOM);
        }
        final int ssrc = getInt(packet, offset + 8);
        final int sequence = getUnsignedShort(packet, offset + 2);
        int slot = findSlot(ssrc);
        // RFC 3711 3.3.2 on the sending side too: a repeated index would repeat keystream.
        final long index = rtpIndex(slot, sequence);
        if (index < 0)
        {
            return count((int)index);
        }
        if (slot < 0)
        {
            slot = addSlot(ssrc);
            if (slot < 0)
            {
                return count(SrtpStatus.UNKNOWN_SSRC_LIMIT);
            }
        }
        acceptIndex(rtpHighestIndex, rtpWindow, slot, index);
        count(SrtpStatus.OK);
        return transform.protectRtp(packet, offset, headerLength, length, ssrc, index);
    }

    /**
     * Unprotect an SRTP packet in place (RFC 3711 3.3; RFC 7714 8): check replay, verify the tag, decrypt.
     *
     * @param packet the array.
     * @param offset where the SRTP packet starts.
     * @param length SRTP packet length, tag included.
     * @return the RTP length (tag removed), or a negative {@link SrtpStatus}: TOO_SHORT, BAD_VERSION,
     * BAD_ARGUMENT, UNKNOWN_SSRC_LIMIT, REPLAYED, TOO_OLD, AUTH_FAILED, KEY_EXPIRED. On any failure the packet
     * bytes and the context are unchanged.
     */
    public int unprotectRtp(final byte[] packet, final int offset, final int length)
    {
        if (!inBounds(packet, offset, length))
        {
            return count(SrtpStatus.BAD_ARGUMENT);
        }
        final int headerLength = rtpHeaderLength(packet, offset, length - rtpTrailerLength);
        if (headerLength < 0)
        {
            return count(headerLength);
        }
        final int ssrc = getInt(packet, offset + 8);
        final int sequence = getUnsignedShort(packet, offset + 2);
        final int slot = findSlot(ssrc);
        if (slot < 0 && ssrcCount == maxSsrcs)
        {
            return count(SrtpStatus.UNKNOWN_SSRC_LIMIT);
        }
        // RFC 3711 3.3.2: the replay check comes before the tag check.
        final long index = rtpIndex(slot, sequence);
        if (index < 0)
        {
            return count((int)index);
        }
        final int result = transform.unprotectRtp(packet, offset, headerLength, length, ssrc, index);
        if (result < 0)
        {
            return count(result);
        }
        // RFC 3711 3.3.2: only an authenticated packet updates the ROC, s_l and the window.
        acceptIndex(rtpHighestIndex, rtpWindow, slot < 0 ? addSlot(ssrc) : slot, index);
        count(SrtpStatus.OK);
        return result;
    }

    /**
     * Protect a (compound) RTCP packet in place (RFC 3711 3.4; RFC 7714 9.2): encrypt after the first 8 bytes,
     * append E=1 with this SSRC's next SRTCP index, and the tag.
     *
     * @param packet the array; needs {@link SrtpProfile#rtcpTrailerLength()} bytes of room after the packet.
     * @param offset where the RTCP packet starts.
     * @param length RTCP packet length.
     * @return the SRTCP length, or a negative {@link SrtpStatus}: TOO_SHORT, BAD_VERSION, NO_TAILROOM,
     * BAD_ARGUMENT, UNKNOWN_SSRC_LIMIT, KEY_EXPIRED (2^31 packets sent).
     */
    public int protectRtcp(final byte[] packet, final int offset, final int length)
    {
        if (!inBounds(packet, offset, length))
        {
            return count(SrtpStatus.BAD_ARGUMENT);
        }
        final int check = checkRtcpHeader(packet, offset, length);
        if (check < 0)
        {
            return count(check);
        }
        if (packet.length - offset - length < rtcpTrailerLength)
        {
            return count(SrtpStatus.NO_TAILROOM);
        }
        final int ssrc = getInt(packet, offset + 4);
        int slot = findSlot(ssrc);
        if (slot < 0)
        {
            slot = addSlot(ssrc);
            if (slot < 0)
            {
                return count(SrtpStatus.UNKNOWN_SSRC_LIMIT);
            }
        }
        final long index = rtcpNextIndex[slot];
        if (index > MAX_SRTCP_INDEX)
        {
            return count(SrtpStatus.KEY_EXPIRED);
        }
        rtcpNextIndex[slot] = index + 1;
        count(SrtpStatus.OK);
        return transform.protectRtcp(packet, offset, length, ssrc, (int)index);
    }

    /**
     * Unprotect an SRTCP packet in place (RFC 3711 3.4; RFC 7714 9): check the index against the replay window,
     * verify the tag, decrypt when E=1.
     *
     * @param packet the array.
     * @param offset where the SRTCP packet starts.
     * @param length SRTCP packet length, trailer included.
     * @return the RTCP length (trailer removed), or a negative {@link SrtpStatus}: TOO_SHORT, BAD_VERSION,
     * BAD_ARGUMENT, UNKNOWN_SSRC_LIMIT, REPLAYED, TOO_OLD, AUTH_FAILED. On any failure the packet bytes and the
     * context are unchanged.
     */
    public int unprotectRtcp(final byte[] packet, final int offset, final int length)
    {
        if (!inBounds(packet, offset, length))
        {
            return count(SrtpStatus.BAD_ARGUMENT);
        }
        final int check = checkRtcpHeader(packet, offset, length - rtcpTrailerLength);
        if (check < 0)
        {
            return count(check);
        }
        final int ssrc = getInt(packet, offset + 4);
        final int indexWord = getInt(packet, offset + length - rtcpIndexFromEnd);
        final long index = indexWord & MAX_SRTCP_INDEX;
        final int slot = findSlot(ssrc);
        if (slot < 0 || rtcpHighestIndex[slot] == NONE)
        {
            if (slot < 0 && ssrcCount == maxSsrcs)
            {
                return count(SrtpStatus.UNKNOWN_SSRC_LIMIT);
            }
        }
        else
        {
            final int replay = checkReplay(rtcpHighestIndex[slot], rtcpWindow, slot, index);
            if (replay != SrtpStatus.OK)
            {
                return count(replay);
            }
        }
        final int result = transform.unprotectRtcp(packet, offset, length, ssrc, indexWord);
        if (result < 0)
        {
            return count(result);
        }
        acceptIndex(rtcpHighestIndex, rtcpWindow, slot < 0 ? addSlot(ssrc) : slot, index);
        count(SrtpStatus.OK);
        return result;
    }

    /**
     * Forget an SSRC's state (say after an RTCP BYE), freeing its slot. Cold path. On an inbound context a removed
     * SSRC starts again from its next packet, so its old packets could be replayed once more: remove only SSRCs
     * that have ended.
     *
     * @param ssrc the SSRC.
     * @return true when it was tracked.
     */
    public boolean removeSsrc(final int ssrc)
    {
        final int slot = findSlot(ssrc);
        if (slot < 0)
        {
            return false;
        }
        final int last = ssrcCount - 1;
        if (slot != last)
        {
            ssrcs[slot] = ssrcs[last];
            rtpHighestIndex[slot] = rtpHighestIndex[last];
            rtcpHighestIndex[slot] = rtcpHighestIndex[last];
            rtcpNextIndex[slot] = rtcpNextIndex[last];
            System.arraycopy(rtpWindow, last * WINDOW_WORDS, rtpWindow, slot * WINDOW_WORDS, WINDOW_WORDS);
            System.arraycopy(rtcpWindow, last * WINDOW_WORDS, rtcpWindow, slot * WINDOW_WORDS, WINDOW_WORDS);
        }
        ssrcCount = last;
        lastSlot = 0;
        return true;
    }

    /**
     * @return how many SSRCs the context tracks now.
     */
    public int ssrcCount()
    {
        return ssrcCount;
    }

    /**
     * @param ssrc an SSRC.
     * @return its rollover counter (RFC 3711 3.3.1) from the highest SRTP index seen, or -1 when unknown.
     */
    public long rolloverCounter(final int ssrc)
    {
        final int slot = findSlot(ssrc);
        return slot < 0 || rtpHighestIndex[slot] == NONE ? -1 : rtpHighestIndex[slot] >>> 16;
    }

    /**
     * @param ssrc an SSRC.
     * @return the next SRTCP index {@link #protectRtcp} will use for it (0 when unknown).
     */
    public long nextSrtcpIndex(final int ssrc)
    {
        final int slot = findSlot(ssrc);
        return slot < 0 ? 0 : rtcpNextIndex[slot];
    }

    /**
     * @param status {@link SrtpStatus#OK} for packets processed, or a negative code.
     * @return how many calls ended with it since the context was made (for counters and tests).
     */
    public long statusCount(final int status)
    {
        return status > 0 || -status >= SrtpStatus.CODE_COUNT ? 0 : statusCounts[-status];
    }

    /**
     * Set the next SRTCP index an SSRC sends with (tests replaying RFC vectors; cold path).
     *
     * @param ssrc  the SSRC, added when new.
     * @param index the next index.
     */
    void nextSrtcpIndex(final int ssrc, final int index)
    {
        int slot = findSlot(ssrc);
        if (slot < 0)
        {
            slot = addSlot(ssrc);
        }
        rtcpNextIndex[slot] = index;
    }

    static SrtpTransform transform(
        final SrtpProfile profile,
        final byte[] masterKey,
        final byte[] masterSalt,
        final boolean allowJdkInternals)
    {
        switch (profile)
        {
            case AES_CM_128_HMAC_SHA1_80:
                return new AesCmTransform(
                    SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTP_ENCRYPTION, profile.keyLength()),
                    SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTP_SALT, AesCmTransform.SALT_LENGTH),
                    SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTP_AUTHENTICATION,
                        AesCmTransform.AUTH_KEY_LENGTH),
                    SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTCP_ENCRYPTION, profile.keyLength()),
                    SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTCP_SALT, AesCmTransform.SALT_LENGTH),
                    SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTCP_AUTHENTICATION,
                        AesCmTransform.AUTH_KEY_LENGTH),
                    allowJdkInternals);
            case AEAD_AES_128_GCM:
                return new GcmTransform(
                    SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTP_ENCRYPTION, profile.keyLength()),
                    SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTP_SALT, GcmTransform.SALT_LENGTH),
                    SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTCP_ENCRYPTION, profile.keyLength()),
                    SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTCP_SALT, GcmTransform.SALT_LENGTH),
                    allowJdkInternals);
            default:
                throw new IllegalArgumentException("unsupported profile " + profile);
        }
    }

    /**
     * The index of an SRTP packet and its replay verdict: RFC 3711 3.3.1 (a new stream starts with ROC 0),
     * Appendix A (estimate the ROC), 3.3.2 (replay window).
     *
     * @return the 48-bit index, or REPLAYED, TOO_OLD or KEY_EXPIRED.
     */
    private long rtpIndex(final int slot, final int sequence)
    {
        if (slot < 0 || rtpHighestIndex[slot] == NONE)
        {
            return sequence;
        }
        final long index = estimateIndex(rtpHighestIndex[slot], sequence);
        if (index < 0)
        {
            return index;
        }
        final int replay = checkReplay(rtpHighestIndex[slot], rtpWindow, slot, index);
        return replay != SrtpStatus.OK ? replay : index;
    }

    /**
     * RFC 3711 Appendix A: the index whose ROC puts {@code sequence} nearest the highest index seen. While the
     * ROC is 0 there is no earlier ROC, so a sequence number more than half the space ahead is taken as ahead
     * (as libsrtp does) rather than as late.
     *
     * @return the 48-bit index, or KEY_EXPIRED (past ROC 2^32 - 1).
     */
    static long estimateIndex(final long highestIndex, final int sequence)
    {
        final long roc = highestIndex >>> 16;
        final int highestSequence = (int)(highestIndex & 0xFFFF);
        long guess = roc;
        if (highestSequence < 32768)
        {
            if (sequence - highestSequence > 32768 && roc > 0)
            {
                guess = roc - 1;
            }
        }
        else if (highestSequence - 32768 > sequence)
        {
            guess = roc + 1;
        }
        if (guess > MAX_ROC)
        {
            return SrtpStatus.KEY_EXPIRED;
        }
        return (guess << 16) | sequence;
    }

    /**
     * RFC 3711 3.3.2: a circular bitmap of the last {@link #REPLAY_WINDOW} indices, bit {@code index mod W}.
     */
    static int checkReplay(final long highestIndex, final long[] window, final int slot, final long index)
    {
        if (index > highestIndex)
        {
            return SrtpStatus.OK;
        }
        if (highestIndex - index >= REPLAY_WINDOW)
        {
            return SrtpStatus.TOO_OLD;
        }
        final int bit = (int)(index & (REPLAY_WINDOW - 1));
        return (window[slot * WINDOW_WORDS + (bit >>> 6)] & (1L << bit)) != 0 ? SrtpStatus.REPLAYED : SrtpStatus.OK;
    }

    static void acceptIndex(final long[] highestIndices, final long[] window, final int slot, final long index)
    {
        final int base = slot * WINDOW_WORDS;
        final long highest = highestIndices[slot];
        if (highest == NONE || index - highest >= REPLAY_WINDOW)
        {
            Arrays.fill(window, base, base + WINDOW_WORDS, 0L);
            highestIndices[slot] = index;
        }
        else if (index > highest)
        {
            // Slide: the bits of the indices skipped over still describe indices a window ago.
            for (long skipped = highest + 1; skipped < index; skipped++)
            {
                final int bit = (int)(skipped & (REPLAY_WINDOW - 1));
                window[base + (bit >>> 6)] &= ~(1L << bit);
            }
            highestIndices[slot] = index;
        }
        final int bit = (int)(index & (REPLAY_WINDOW - 1));
        window[base + (bit >>> 6)] |= 1L << bit;
    }

    /**
     * RFC 3550 5.1: fixed header, CSRCs, and the extension (16-bit profile, 16-bit length in words, data).
     *
     * @param available bytes before the trailer.
     */
    static int rtpHeaderLength(final byte[] packet, final int offset, final int available)
    {
        if (available < RTP_HEADER_LENGTH)
        {
            return SrtpStatus.TOO_SHORT;
        }
        final int first = packet[offset] & 0xFF;
        if ((first >>> 6) != 2)
        {
            return SrtpStatus.BAD_VERSION;
        }
        int headerLength = RTP_HEADER_LENGTH + ((first & 0x0F) << 2);
        if ((first & 0x10) != 0)
        {
            if (available < headerLength + 4)
            {
                return SrtpStatus.TOO_SHORT;
            }
            headerLength += 4 + (getUnsignedShort(packet, offset + headerLength + 2) << 2);
        }
        return headerLength > available ? SrtpStatus.TOO_SHORT : headerLength;
    }

    private static int checkRtcpHeader(final byte[] packet, final int offset, final int available)
    {
        if (available < RTCP_HEADER_LENGTH)
        {
            return SrtpStatus.TOO_SHORT;
        }
        return (packet[offset] & 0xC0) == 0x80 ? SrtpStatus.OK : SrtpStatus.BAD_VERSION;
    }

    private int findSlot(final int ssrc)
    {
        final int[] ssrcs = this.ssrcs;
        final int count = ssrcCount;
        final int last = lastSlot;
        if (last < count && ssrcs[last] == ssrc)
        {
            return last;
        }
        for (int i = 0; i < count; i++)
        {
            if (ssrcs[i] == ssrc)
            {
                lastSlot = i;
                return i;
            }
        }
        return -1;
    }

    private int addSlot(final int ssrc)
    {
        if (ssrcCount == maxSsrcs)
        {
            return -1;
        }
        final int slot = ssrcCount++;
        ssrcs[slot] = ssrc;
        rtpHighestIndex[slot] = NONE;
        rtcpHighestIndex[slot] = NONE;
        rtcpNextIndex[slot] = 0;
        Arrays.fill(rtpWindow, slot * WINDOW_WORDS, (slot + 1) * WINDOW_WORDS, 0L);
        Arrays.fill(rtcpWindow, slot * WINDOW_WORDS, (slot + 1) * WINDOW_WORDS, 0L);
        lastSlot = slot;
        return slot;
    }

    private int count(final int status)
    {
        statusCounts[-status]++;
        return status;
    }

    private static boolean inBounds(final byte[] packet, final int offset, final int length)
    {
        return packet != null && offset >= 0 && length >= 0 && length <= packet.length - offset;
    }

    private static byte[] checkLength(final byte[] bytes, final int length, final String what)
    {
        if (bytes.length != length)
        {
            throw new IllegalArgumentException(what + " must be " + length + " bytes: " + bytes.length);
        }
        return bytes;
    }

    private static int getInt(final byte[] bytes, final int offset)
    {
        return ((bytes[offset] & 0xFF) << 24) | ((bytes[offset + 1] & 0xFF) << 16) |
            ((bytes[offset + 2] & 0xFF) << 8) | (bytes[offset + 3] & 0xFF);
    }

    private static int getUnsignedShort(final byte[] bytes, final int offset)
    {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }
}
