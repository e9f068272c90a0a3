package dev.tandem.backend;

import dev.tandem.sbe.AudioFrameEncoder;
import dev.tandem.sbe.BackendEventEncoder;
import dev.tandem.sbe.ClearAudioEncoder;
import dev.tandem.sbe.CloseReason;
import dev.tandem.sbe.CloseSessionEncoder;
import dev.tandem.sbe.Codec;
import dev.tandem.sbe.IngressEncoder;
import dev.tandem.sbe.MessageHeaderEncoder;
import dev.tandem.sbe.SessionClosedEncoder;
import dev.tandem.sbe.SessionOpenedEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdapterDecodingTest
{
    private static final int AT = 5;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final List<String> received = new ArrayList<>();
    private final BackendCounters counters = LocalCounters.newBackendCounters("side=\"test\"");

    private static String text(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private final BackendHandler backendHandler = new BackendHandler()
    {
        @Override
        public void onAudioFrame(
            final long sessionId,
            final long sequence,
            final long timeNs,
            final int frameDurationUs,
            final DirectBuffer payload,
            final int offset,
            final int length)
        {
            received.add("audio " + sessionId + " " + sequence + " " + timeNs + " " + frameDurationUs + " " +
                text(payload, offset, length));
        }

        @Override
        public void onClearAudio(final long sessionId)
        {
            received.add("clear " + sessionId);
        }

        @Override
        public void onCloseSession(final long sessionId)
        {
            received.add("close " + sessionId);
        }

        @Override
        public void onEvent(
            final long sessionId, final long timeNs, final DirectBuffer body, final int offset, final int length)
        {
            received.add("event " + sessionId + " " + timeNs + " " + text(body, offset, length));
        }
    };

    private final TransceiverHandler transceiverHandler = new TransceiverHandler()
    {
        @Override
        public void onSessionOpened(
            final long sessionId,
            final long timeNs,
            final Codec codec,
            final int payloadType,
            final int clockRate,
            final int channels,
            final int frameDurationUs,
            final DirectBuffer clientInfo,
            final int offset,
            final int length)
        {
            received.add("opened " + sessionId + " " + timeNs + " " + codec + " " + payloadType + " " + clockRate +
                " " + channels + " " + frameDurationUs + " " + text(clientInfo, offset, length));
        }

        @Override
        public void onAudioFrame(
            final long sessionId,
            final long sequence,
            final long rtpTimestamp,
            final long timeNs,
            final int frameDurationUs,
            final DirectBuffer payload,
            final int offset,
            final int length)
        {
            received.add("audio " + sessionId + " " + sequence + " " + rtpTimestamp + " " + timeNs + " " +
                frameDurationUs + " " + text(payload, offset, length));
        }

        @Override
        public void onSessionClosed(final long sessionId, final long timeNs, final CloseReason reason)
        {
            received.add("closed " + sessionId + " " + timeNs + " " + reason);
        }

        @Override
        public void onEvent(
            final long sessionId, final long timeNs, final DirectBuffer body, final int offset, final int length)
        {
            received.add("event " + sessionId + " " + timeNs + " " + text(body, offset, length));
        }
    };

    private final BackendAdapter backendAdapter = new BackendAdapter(null, backendHandler, 8, counters);
    private final TransceiverAdapter transceiverAdapter = new TransceiverAdapter(null, transceiverHandler, 8, counters);

    private int audioFrame(final long sessionId, final String payload)
    {
        final byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        final AudioFrameEncoder encoder = new AudioFrameEncoder().wrapAndApplyHeader(buffer, AT, header)
            .sessionId(sessionId).sequence(7).rtpTimestamp(960).timeNs(123).frameDurationUs(20_000)
            .putPayload(bytes, 0, bytes.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    @Test
    void backendAdapterDecodesEverythingTheBackendSends()
    {
        assertTrue(backendAdapter.onMessage(buffer, AT, audioFrame(42, "opus")));
        int length = MessageHeaderEncoder.ENCODED_LENGTH +
            new ClearAudioEncoder().wrapAndApplyHeader(buffer, AT, header).sessionId(43).encodedLength();
        assertTrue(backendAdapter.onMessage(buffer, AT, length));
        length = MessageHeaderEncoder.ENCODED_LENGTH +
            new CloseSessionEncoder().wrapAndApplyHeader(buffer, AT, header).sessionId(44).encodedLength();
        assertTrue(backendAdapter.onMessage(buffer, AT, length));
        length = MessageHeaderEncoder.ENCODED_LENGTH + new BackendEventEncoder().wrapAndApplyHeader(buffer, AT, header)
            .sessionId(45).timeNs(9).body("{\"type\":\"ping\"}").encodedLength();
        assertTrue(backendAdapter.onMessage(buffer, AT, length));

        assertEquals(List.of(
            "audio 42 7 123 20000 opus", "clear 43", "close 44", "event 45 9 {\"type\":\"ping\"}"), received);
        assertEquals(1, counters.framesReceived().get());
        assertEquals(3, counters.messagesReceived().get());
    }

    @Test
    void transceiverAdapterDecodesEverythingTheTransceiverSends()
    {
        int length = MessageHeaderEncoder.ENCODED_LENGTH + new SessionOpenedEncoder()
            .wrapAndApplyHeader(buffer, AT, header).sessionId(1).timeNs(2).codec(Codec.OPUS).payloadType((short)111)
            .clockRate(48_000).channels((short)2).frameDurationUs(20_000).clientInfo("10.0.0.1:5000 Chrome")
            .encodedLength();
        assertTrue(transceiverAdapter.onMessage(buffer, AT, length));
        assertTrue(transceiverAdapter.onMessage(buffer, AT, audioFrame(1, "frame")));
        length = MessageHeaderEncoder.ENCODED_LENGTH + new SessionClosedEncoder().wrapAndApplyHeader(buffer, AT, header)
            .sessionId(1).timeNs(3).reason(CloseReason.CONSENT_EXPIRED).encodedLength();
        assertTrue(transceiverAdapter.onMessage(buffer, AT, length));

        assertEquals(List.of(
            "opened 1 2 OPUS 111 48000 2 20000 10.0.0.1:5000 Chrome",
            "audio 1 7 960 123 20000 frame",
            "closed 1 3 CONSENT_EXPIRED"), received);
    }

    @Test
    void countsMalformedAndUnexpectedMessages()
    {
        final int length = audioFrame(42, "opus");
        assertFalse(backendAdapter.onMessage(buffer, AT, 7), "shorter than a header");
        assertFalse(backendAdapter.onMessage(buffer, AT, 20), "shorter than its block");
        assertFalse(backendAdapter.onMessage(buffer, AT, length - 1), "payload runs past the end");
        buffer.putShort(AT + 4, (short)1234); // another schema id
        assertFalse(backendAdapter.onMessage(buffer, AT, length));
        assertEquals(4, counters.dropsMalformed().get());

        final int ingress = MessageHeaderEncoder.ENCODED_LENGTH + new IngressEncoder()
            .wrapAndApplyHeader(buffer, AT, header).putPayload(new byte[3], 0, 3).encodedLength();
        assertFalse(backendAdapter.onMessage(buffer, AT, ingress), "relay traffic on a backend stream");
        final int opened = MessageHeaderEncoder.ENCODED_LENGTH + new SessionOpenedEncoder()
            .wrapAndApplyHeader(buffer, AT, header).clientInfo("x").encodedLength();
        assertFalse(backendAdapter.onMessage(buffer, AT, opened), "the backend does not open sessions");
        assertEquals(2, counters.dropsUnknownMessage().get());
        assertTrue(received.isEmpty());
    }
}
