package dev.tandem.session;

import dev.tandem.sbe.Codec;

/**
 * Everything a media shard needs to create a session, decided on the signaling thread from the offer: the ICE
 * credentials of both sides, the client's DTLS fingerprint, the codec and our stream identity.
 *
 * @param sessionId        the session's id: also the nonce in its route token, so a STUN check finds it.
 * @param callId           the id in the call's URL.
 * @param shardId          the shard that owns it.
 * @param localUfrag       our ICE ufrag (the route token).
 * @param localPassword    our ICE password.
 * @param remoteUfrag      the client's ICE ufrag.
 * @param remoteFingerprint the client's certificate fingerprint from its offer ({@code sha-256 AB:..}).
 * @param codec            negotiated codec.
 * @param payloadType      the offer's payload type for it.
 * @param clockRate        RTP clock rate in Hz.
 * @param channels         audio channels the backend is told about.
 * @param localSsrc        our SSRC.
 * @param cname            our RTCP CNAME.
 * @param reducedSizeRtcp  the client offered {@code a=rtcp-rsize}.
 * @param clientInfo       remote address and user agent, for the backend and logs.
 * @param createdNs        when signaling created it (media clock).
 * @param sessionConfig    UTF-8 JSON event for the backend with the call's session configuration, or null.
 */
record SessionSpec(
    long sessionId,
    String callId,
    int shardId,
    String localUfrag,
    String localPassword,
    String remoteUfrag,
    String remoteFingerprint,
    Codec codec,
    int payloadType,
    int clockRate,
    int channels,
    long localSsrc,
    String cname,
    boolean reducedSizeRtcp,
    String clientInfo,
    long createdNs,
    byte[] sessionConfig)
{
}
