#!/usr/bin/python3
"""SRTP cross-check against libsrtp (Debian's python3-pylibsrtp), driven by LibsrtpCrossCheckTest.

Reads commands from stdin, one per line, and answers each on stdout with "ok <hex>" or "error <reason>":
  profile AES_CM_128_HMAC_SHA1_80|AEAD_AES_128_GCM   choose the profile for the sessions made after it
  receiver <hex key+salt>                             libsrtp session that unprotects (any inbound SSRC)
  sender <hex key+salt>                               libsrtp session that protects (any outbound SSRC)
  unprotect_rtp|unprotect_rtcp <hex>                  through the receiver
  protect_rtp|protect_rtcp <hex>                      through the sender
"""
import sys

import pylibsrtp

PROFILES = {
    "AES_CM_128_HMAC_SHA1_80": pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_80,
    "AEAD_AES_128_GCM": pylibsrtp.Policy.SRTP_PROFILE_AEAD_AES_128_GCM,
}


def session(profile, key_hex, ssrc_type):
    policy = pylibsrtp.Policy(key=bytes.fromhex(key_hex), ssrc_type=ssrc_type, srtp_profile=profile)
    policy.window_size = 128
    return pylibsrtp.Session(policy=policy)


def main():
    profile = None
    receiver = None
    sender = None
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        command, argument = parts[0], parts[1] if len(parts) > 1 else ""
        try:
            if command == "profile":
                profile = PROFILES[argument]
                result = b""
            elif command == "receiver":
                receiver = session(profile, argument, pylibsrtp.Policy.SSRC_ANY_INBOUND)
                result = b""
            elif command == "sender":
                sender = session(profile, argument, pylibsrtp.Policy.SSRC_ANY_OUTBOUND)
                result = b""
            elif command == "unprotect_rtp":
                result = receiver.unprotect(bytes.fromhex(argument))
            elif command == "unprotect_rtcp":
                result = receiver.unprotect_rtcp(bytes.fromhex(argument))
            elif command == "protect_rtp":
                result = sender.protect(bytes.fromhex(argument))
            elif command == "protect_rtcp":
                result = sender.protect_rtcp(bytes.fromhex(argument))
            else:
                raise ValueError("unknown command " + command)
            print("ok " + bytes(result).hex(), flush=True)
        except Exception as error:  # report and go on: the Java side asserts on every answer
            print("error " + type(error).__name__ + ": " + str(error).replace("\n", " "), flush=True)


if __name__ == "__main__":
    main()
