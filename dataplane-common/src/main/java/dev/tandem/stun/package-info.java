/**
 * STUN (RFC 8489) as ICE uses it (RFC 8445), without allocation: {@link dev.tandem.stun.StunMessageFlyweight} reads
 * and checks a datagram, {@link dev.tandem.stun.StunMessageEncoder} writes Binding requests and responses,
 * {@link dev.tandem.stun.StunStatus} names every rejection.
 * <pre>{@code
 * // relay, per STUN datagram
 * if (flyweight.wrap(buffer, offset, length).validate() == StunStatus.OK && flyweight.usernameOffset() >= 0)
 * {
 *     final long route = verifier.verifyUsername(buffer, flyweight.usernameOffset(), flyweight.usernameLength());
 * }
 *
 * // transceiver ICE-lite, per connectivity check
 * flyweight.wrap(buffer, offset, length).validate();                      // then check USERNAME is ours
 * flyweight.verifyMessageIntegrity(mac, localPassword, 0, localPassword.length);
 * flyweight.verifyFingerprint();
 * encoder.bindingSuccessResponse(out, 0, flyweight.buffer(), flyweight.transactionIdOffset(),
 *     addressHigh, addressLow, port, mac);
 * }</pre>
 */
package dev.tandem.stun;
