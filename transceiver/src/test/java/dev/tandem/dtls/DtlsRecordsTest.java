package dev.tandem.dtls;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DtlsRecordsTest
{
    private static byte[] record(final int contentType, final int epoch, final long sequence, final byte[] body)
    {
        final byte[] record = new byte[13 + body.length];
        record[0] = (byte)contentType;
        record[1] = (byte)0xFE;
        record[2] = (byte)0xFD;
        record[3] = (byte)(epoch >> 8);
        record[4] = (byte)epoch;
        for (int i = 0; i < 6; i++)
        {
            record[5 + i] = (byte)(sequence >> (40 - 8 * i));
        }
        record[11] = (byte)(body.length >> 8);
        record[12] = (byte)body.length;
        System.arraycopy(body, 0, record, 13, body.length);
        return record;
    }

    private static byte[] clientHelloFragment(final int messageLength, final int offset, final int length)
    {
        final byte[] body = new byte[12 + length];
        body[0] = 1;
        body[1] = (byte)(messageLength >> 16);
        body[2] = (byte)(messageLength >> 8);
        body[3] = (byte)messageLength;
        body[6] = (byte)(offset >> 16);
        body[7] = (byte)(offset >> 8);
        body[8] = (byte)offset;
        body[9] = (byte)(length >> 16);
        body[10] = (byte)(length >> 8);
        body[11] = (byte)length;
        return record(22, 0, 0, body);
    }

    @Test
    void acceptsWholeRecordsAndRejectsTruncatedOnes()
    {
        final byte[] one = record(23, 1, 5, new byte[40]);
        assertTrue(DtlsRecords.isWellFormed(one, 0, one.length));
        assertFalse(DtlsRecords.isWellFormed(one, 0, one.length - 1), "truncated");
        final byte[] two = new byte[one.length * 2 + 3];
        System.arraycopy(one, 0, two, 3, one.length);
        System.arraycopy(one, 0, two, 3 + one.length, one.length);
        assertTrue(DtlsRecords.isWellFormed(two, 3, one.length * 2), "two records in one datagram");
        assertFalse(DtlsRecords.isWellFormed(two, 3, one.length * 2 - 5));
        assertFalse(DtlsRecords.isWellFormed(new byte[12], 0, 12), "shorter than a header");
        assertFalse(DtlsRecords.isWellFormed(one, 10, one.length), "bounds");
    }

    @Test
    void rejectsContentTypesAndVersionsTandemNeverNegotiates()
    {
        assertFalse(DtlsRecords.isWellFormed(record(24, 1, 1, new byte[3]), 0, 16), "heartbeat");
        assertFalse(DtlsRecords.isWellFormed(record(25, 1, 1, new byte[3]), 0, 16), "tls12_cid");
        assertFalse(DtlsRecords.isWellFormed(record(19, 1, 1, new byte[3]), 0, 16));
        final byte[] tls = record(22, 0, 0, new byte[3]);
        tls[1] = 3;
        assertFalse(DtlsRecords.isWellFormed(tls, 0, tls.length), "TLS, not DTLS");
    }

    @Test
    void rejectsEpochZeroRecordsFarAhead()
    {
        assertTrue(DtlsRecords.isWellFormed(record(22, 0, 40, new byte[3]), 0, 16));
        assertFalse(DtlsRecords.isWellFormed(
            record(22, 0, DtlsRecords.EPOCH_0_SEQUENCE_LIMIT, new byte[3]), 0, 16));
        assertFalse(DtlsRecords.isWellFormed(record(22, 0, 1L << 40, new byte[3]), 0, 16));
        assertTrue(DtlsRecords.isWellFormed(record(23, 1, 1L << 40, new byte[3]), 0, 16), "epoch 1 is authenticated");
    }

    @Test
    void recognisesClientHelloFragments()
    {
        final byte[] whole = clientHelloFragment(200, 0, 200);
        assertTrue(DtlsRecords.startsWithClientHello(whole, 0, whole.length));
        final byte[] second = clientHelloFragment(1400, 1000, 400);
        assertTrue(DtlsRecords.startsWithClientHello(second, 0, second.length), "a later fragment first");
        final byte[] beyond = clientHelloFragment(1000, 900, 200);
        assertFalse(DtlsRecords.startsWithClientHello(beyond, 0, beyond.length), "fragment past the message");
        final byte[] serverHello = clientHelloFragment(50, 0, 50);
        serverHello[13] = 2;
        assertFalse(DtlsRecords.startsWithClientHello(serverHello, 0, serverHello.length));
        final byte[] epochOne = clientHelloFragment(50, 0, 50);
        epochOne[4] = 1;
        assertFalse(DtlsRecords.startsWithClientHello(epochOne, 0, epochOne.length));
        final byte[] secondMessage = clientHelloFragment(50, 0, 50);
        secondMessage[13 + 5] = 1;
        assertFalse(DtlsRecords.startsWithClientHello(secondMessage, 0, secondMessage.length), "message_seq 1");
    }

    @Test
    void neverThrowsOnRandomBytes()
    {
        final Random random = new Random(1);
        int wellFormed = 0;
        for (int i = 0; i < 100_000; i++)
        {
            final byte[] data = new byte[random.nextInt(64)];
            random.nextBytes(data);
            if (data.length > 0 && random.nextBoolean())
            {
                data[0] = 22;
            }
            wellFormed += DtlsRecords.isWellFormed(data, 0, data.length) ? 1 : 0;
            DtlsRecords.startsWithClientHello(data, 0, data.length);
        }
        assertTrue(wellFormed < 10, "random bytes are almost never records: " + wellFormed);
    }
}
