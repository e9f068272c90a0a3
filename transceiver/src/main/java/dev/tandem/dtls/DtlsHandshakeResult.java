package dev.tandem.dtls;

import java.util.Arrays;

/**
 * What a completed DTLS-SRTP handshake hands to SRTP: the negotiated protection profile and the SRTP master keys and
 * salts exported from the DTLS master secret (RFC 5764 4.2):
 * <pre>
 *   keying material = PRF(master_secret, "EXTRACTOR-dtls_srtp", client_random + server_random)[2 * (key + salt)]
 *
 *   +-------------------------+-------------------------+--------------------------+--------------------------+
 *   | client write master key | server write master key | client write master salt | server write master salt |
 *   |        key bytes        |        key bytes        |        salt bytes        |        salt bytes        |
 *   +-------------------------+-------------------------+--------------------------+--------------------------+
 * </pre>
 * The client protects what it sends with the client write key and salt, the server with the server's; both sides
 * export identical bytes. Accessors return copies. Created once per handshake, so allocation here is fine.
 */
public final class DtlsHandshakeResult
{
    private final DtlsRole role;
    private final int srtpProfileId;
    private final int cipherSuite;
    private final byte[] clientWriteKey;
    private final byte[] serverWriteKey;
    private final byte[] clientWriteSalt;
    private final byte[] serverWriteSalt;
    private final String remoteFingerprint;
    private final long handshakeNs;

    DtlsHandshakeResult(
        final DtlsRole role,
        final int srtpProfileId,
        final int cipherSuite,
        final byte[] keyingMaterial,
        final String remoteFingerprint,
        final long handshakeNs)
    {
        final int keyLength = DtlsSrtpProfile.keyLengthBytes(srtpProfileId);
        final int saltLength = DtlsSrtpProfile.saltLengthBytes(srtpProfileId);
        if (keyingMaterial.length != 2 * (keyLength + saltLength))
        {
            throw new IllegalArgumentException("keying material is " + keyingMaterial.length + " bytes");
        }
        this.role = role;
        this.srtpProfileId = srtpProfileId;
        this.cipherSuite = cipherSuite;
        // RFC 5764 4.2: the order of the four parts
        int at = 0;
        this.clientWriteKey = Arrays.copyOfRange(keyingMaterial, at, at += keyLength);
        this.serverWriteKey = Arrays.copyOfRange(keyingMaterial, at, at += keyLength);
        this.clientWriteSalt = Arrays.copyOfRange(keyingMaterial, at, at += saltLength);
        this.serverWriteSalt = Arrays.copyOfRange(keyingMaterial, at, at + saltLength);
        this.remoteFingerprint = remoteFingerprint;
        this.handshakeNs = handshakeNs;
    }

    /**
     * @return the role of the endpoint that produced this result.
     */
    public DtlsRole role()
    {
        return role;
    }

    /**
     * @return the negotiated SRTP protection profile, one of {@link DtlsSrtpProfile}'s ids.
     */
    public int srtpProfileId()
    {
        return srtpProfileId;
    }

    /**
     * @return the negotiated DTLS cipher suite (an IANA TLS cipher suite number).
     */
    public int cipherSuite()
    {
        return cipherSuite;
    }

    /**
     * @return the SRTP master key the client sends with.
     */
    public byte[] clientWriteKey()
    {
        return clientWriteKey.clone();
    }

    /**
     * @return the SRTP master key the server sends with.
     */
    public byte[] serverWriteKey()
    {
        return serverWriteKey.clone();
    }

    /**
     * @return the SRTP master salt the client sends with.
     */
    public byte[] clientWriteSalt()
    {
        return clientWriteSalt.clone();
    }

    /**
     * @return the SRTP master salt the server sends with.
     */
    public byte[] serverWriteSalt()
    {
        return serverWriteSalt.clone();
    }

    /**
     * @return the master key this endpoint protects outbound SRTP with.
     */
    public byte[] localWriteKey()
    {
        return role == DtlsRole.CLIENT ? clientWriteKey() : serverWriteKey();
    }

    /**
     * @return the master salt this endpoint protects outbound SRTP with.
     */
    public byte[] localWriteSalt()
    {
        return role == DtlsRole.CLIENT ? clientWriteSalt() : serverWriteSalt();
    }

    /**
     * @return the master key the peer protects its SRTP with: this endpoint unprotects inbound SRTP with it.
     */
    public byte[] remoteWriteKey()
    {
        return role == DtlsRole.CLIENT ? serverWriteKey() : clientWriteKey();
    }

    /**
     * @return the master salt the peer protects its SRTP with.
     */
    public byte[] remoteWriteSalt()
    {
        return role == DtlsRole.CLIENT ? serverWriteSalt() : clientWriteSalt();
    }

    /**
     * @return the peer certificate's SHA-256 fingerprint, {@code AB:CD:...}.
     */
    public String remoteFingerprint()
    {
        return remoteFingerprint;
    }

    /**
     * @return nanoseconds from the start of the handshake (the first datagram for a server, {@code start()} for a
     *     client; executor queueing included) to its completion.
     */
    public long handshakeNs()
    {
        return handshakeNs;
    }

    /**
     * @return a summary without key material.
     */
    @Override
    public String toString()
    {
        return "DtlsHandshakeResult{role=" + role + ", srtpProfile=" + DtlsSrtpProfile.name(srtpProfileId) +
            ", cipherSuite=0x" + Integer.toHexString(cipherSuite) + ", handshakeMs=" + handshakeNs / 1_000_000 + '}';
    }
}
