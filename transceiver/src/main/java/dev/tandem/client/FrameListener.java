package dev.tandem.client;

/**
 * Told of every frame of ours that comes back, after SRTP and the payload checks, on the client's selector thread:
 * keep it short and do not block.
 */
@FunctionalInterface
public interface FrameListener
{
    /**
     * @param call    the call.
     * @param counter the frame counter in the payload (0 for the first frame sent).
     * @param rttNs   now minus the send time in the payload.
     * @param valid   true when every payload byte is what we sent for that counter.
     * @param buffer  holds the decrypted RTP payload; valid only during the call.
     * @param offset  where the payload starts.
     * @param length  its length.
     */
    void onFrame(ClientCall call, long counter, long rttNs, boolean valid, byte[] buffer, int offset, int length);
}
