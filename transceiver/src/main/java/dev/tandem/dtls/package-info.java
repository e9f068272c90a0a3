/**
 * DTLS 1.2 with the SRTP extension (RFC 5764) for WebRTC sessions, on Bouncy Castle's DTLS.
 * <p>
 * <b>What it does.</b> A {@link dev.tandem.dtls.DtlsEndpoint} per session, made by a
 * {@link dev.tandem.dtls.DtlsEndpointFactory}: the transceiver's endpoints are DTLS servers ({@code a=setup:passive});
 * the Java test client and the load generator use client endpoints. Both sides present an ECDSA P-256 certificate
 * ({@link dev.tandem.dtls.DtlsCertificate}) and pin the peer's to the {@code a=fingerprint} of its SDP
 * ({@link dev.tandem.dtls.DtlsFingerprint}); cipher suites are ECDHE_ECDSA with AES-GCM first; the extended master
 * secret is required; {@code use_srtp} negotiates SRTP_AES128_CM_HMAC_SHA1_80 or SRTP_AEAD_AES_128_GCM by the client's
 * order; the SRTP keys come back as a {@link dev.tandem.dtls.DtlsHandshakeResult}. No HelloVerifyRequest: DTLS starts
 * only from an address that passed an authenticated ICE check, the proof of reachability a cookie would give.
 * <p>
 * <b>Threading.</b>
 * <pre>
 *   media thread (owns the session)                 handshake executor (a few threads, bounded queue)
 *   ------------------------------------           ----------------------------------------------------
 *   onDatagram(bytes) --copy--&gt; inbound queue --&gt;  Bouncy Castle: DTLSServerProtocol.accept / connect,
 *                                                    then short tasks for later records (close_notify,
 *   drainOutbound(handler) &lt;-- outbound queue &lt;--   alerts, retransmitted client flights)
 *   pollEvents(handler)    &lt;-- event queue    &lt;--   HANDSHAKE_COMPLETE(keys) / CLOSED / FAILED(reason)
 *   start(), close()       --flags, wake-up--&gt;
 * </pre>
 * The media thread never blocks and never runs Bouncy Castle: it copies datagrams onto lock-free bounded queues
 * (drops are counted) and drains datagrams and events in its duty cycle. Bouncy Castle's blocking handshake runs on
 * the executor, waiting on the inbound queue with its own retransmission timers; one worker task per endpoint at a
 * time owns Bouncy Castle's state. After the handshake the endpoint holds no thread. With platform threads a
 * handshake holds one for a round trip; {@link dev.tandem.dtls.DtlsHandshakeExecutor#virtual} (JDK 21+) lifts
 * that. Allocation (a copy per handshake datagram, a few objects per event) is per handshake, never per media
 * packet: after the handshake the media thread sends SRTP and RTCP to the srtp package, not here.
 * <p>
 * Datagrams are checked on the media thread before they are queued ({@code DtlsRecords}): only whole DTLS records
 * pass, and only a ClientHello starts a server's handshake, so noise never holds a handshake thread.
 */
package dev.tandem.dtls;
