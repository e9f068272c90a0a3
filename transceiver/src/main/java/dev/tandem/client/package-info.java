/**
 * A Java WebRTC client that behaves like a browser toward Tandem, for system tests and the load generator: it posts
 * a Chromium-like audio offer over HTTP (OpenAI Realtime shape or WHIP), runs controlling ICE with aggressive
 * nomination and consent freshness, the DTLS client handshake, SRTP, and sends Opus-sized frames every 20 ms whose
 * payload carries the send time and a counter, so echoed frames give round-trip times and order and loss checks.
 * <p>
 * One {@link dev.tandem.client.WebRtcClient} runs many calls on one selector thread: each call has its own
 * non-blocking UDP socket, and the thread owns every call's protocol state. Start with
 * {@link dev.tandem.client.WebRtcClient#call(dev.tandem.client.CallOptions)}.
 */
package dev.tandem.client;
