package dev.tandem.srtp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SrtpKdfTest
{
    // RFC 3711 Appendix B.3.
    private static final byte[] MASTER_KEY = Hex.bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] MASTER_SALT = Hex.bytes("0EC675AD498AFEEBB6960B3AABE6");

    @Test
    void derivesRfc3711AppendixB3CipherKey()
    {
        assertEquals("c61e7a93744f39ee10734afe3ff7a087",
            Hex.string(SrtpKdf.derive(MASTER_KEY, MASTER_SALT, SrtpKdf.LABEL_RTP_ENCRYPTION, 16)));
    }

    @Test
    void derivesRfc3711AppendixB3CipherSalt()
    {
        assertEquals("30cbbc08863d8c85d49db34a9ae1",
            Hex.string(SrtpKdf.derive(MASTER_KEY, MASTER_SALT, SrtpKdf.LABEL_RTP_SALT, 14)));
    }

    @Test
    void derivesRfc3711AppendixB3AuthKeyOverSeveralBlocks()
    {
        assertEquals(
            "cebe321f6ff7716b6fd4ab49af256a156d38baa48f0a0acf3c34e2359e6cdbce" +
            "e049646c43d9327ad175578ef72270986371c10c9a369ac2f94a8c5fbcdddc25" +
            "6d6e919a48b610ef17c2041e474035766b68642c59bbfc2f34db60dbdfb2",
            Hex.string(SrtpKdf.derive(MASTER_KEY, MASTER_SALT, SrtpKdf.LABEL_RTP_AUTHENTICATION, 94)));
    }
}
