package dev.tandem.dtls;

/**
 * Which side of the DTLS handshake an endpoint plays. In WebRTC the answerer with {@code a=setup:passive} is the DTLS
 * server; the ICE-controlling client ({@code a=setup:active}) is the DTLS client (RFC 5763 5, RFC 8842 5.2).
 */
public enum DtlsRole
{
    /** Waits for a ClientHello: Tandem's transceiver. */
    SERVER,
    /** Sends the ClientHello: the Java test client and the load generator. */
    CLIENT
}
