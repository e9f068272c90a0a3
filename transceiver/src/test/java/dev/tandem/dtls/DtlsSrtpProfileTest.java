package dev.tandem.dtls;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DtlsSrtpProfileTest
{
    @Test
    void keyAndSaltLengthsFollowRfc5764AndRfc7714()
    {
        assertEquals(16, DtlsSrtpProfile.keyLengthBytes(DtlsSrtpProfile.AES128_CM_HMAC_SHA1_80));
        assertEquals(14, DtlsSrtpProfile.saltLengthBytes(DtlsSrtpProfile.AES128_CM_HMAC_SHA1_80));
        assertEquals(16, DtlsSrtpProfile.keyLengthBytes(DtlsSrtpProfile.AEAD_AES_128_GCM));
        assertEquals(12, DtlsSrtpProfile.saltLengthBytes(DtlsSrtpProfile.AEAD_AES_128_GCM));
        assertFalse(DtlsSrtpProfile.isSupported(0x0002));
        assertThrows(IllegalArgumentException.class, () -> DtlsSrtpProfile.keyLengthBytes(0x0008));
    }

    @Test
    void parsesListsByNameOrIdInOrder()
    {
        assertArrayEquals(
            new int[]{ 7, 1 }, DtlsSrtpProfile.parseList("SRTP_AEAD_AES_128_GCM, srtp_aes128_cm_hmac_sha1_80"));
        assertArrayEquals(new int[]{ 1 }, DtlsSrtpProfile.parseList("0x0001"));
        assertThrows(IllegalArgumentException.class, () -> DtlsSrtpProfile.parseList("0x0001,0x0001"));
        assertThrows(IllegalArgumentException.class, () -> DtlsSrtpProfile.parseList("0x0002"));
        assertThrows(IllegalArgumentException.class, () -> DtlsSrtpProfile.parseList("AES"));
        assertEquals("0x0002", DtlsSrtpProfile.name(2));
    }

    @Test
    void serverSelectsByTheClientsOrder()
    {
        assertEquals(7, DtlsPeerSupport.selectSrtpProfile(new int[]{ 7, 1 }, new int[]{ 1, 7 }));
        assertEquals(1, DtlsPeerSupport.selectSrtpProfile(new int[]{ 2, 1, 7 }, new int[]{ 7, 1 }));
        assertEquals(-1, DtlsPeerSupport.selectSrtpProfile(new int[]{ 2, 5 }, new int[]{ 7, 1 }));
    }
}
