#!/usr/bin/env python3
"""A TLS client for the scenarios of issue 11 (make-misread.sh), standard library only (the
ssl module, i.e. the machine's OpenSSL).

  tlscli.py HOST PORT --sni NAME --expect OUTCOME [--max-tls12]
      One connection and handshake; certificates are not checked (the servers' are made up).
      Outcomes: ok (handshake done, one line sent, closed with close_notify), alert:NAME (the
      server's fatal alert, e.g. alert:protocol_version, alert:unrecognized_name), reset
      (ECONNRESET), eof (the peer closed without an alert), refused, timeout. Prints one line;
      exit status 1 when the outcome is not --expect.
  tlscli.py --sni-offset NAME [--max-tls12]
      Prints where NAME lies in the ClientHello this client sends with these settings: the byte
      offset from the start of the TCP payload (the first record) and the length, "OFFSET LENGTH".
      The layout (lengths) of OpenSSL's ClientHello is the same for every connection with the
      same settings; only random bytes differ. make-misread.sh uses it to write the nft rule of
      the SNI filter.
"""
import argparse
import socket
import ssl
import sys


def context(max_tls12):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if max_tls12:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def sni_offset(name, max_tls12):
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = context(max_tls12).wrap_bio(incoming, outgoing, server_hostname=name)
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    hello = outgoing.read()
    at = hello.find(name.encode("ascii"))
    if at < 0 or hello.find(name.encode("ascii"), at + 1) >= 0:
        raise SystemExit("tlscli: %s not found exactly once in the ClientHello" % name)
    return at, len(name)


def alert_name(e):
    reason = (getattr(e, "reason", "") or "").lower()
    for prefix in ("tlsv1_alert_", "sslv3_alert_", "tlsv13_alert_"):
        if reason.startswith(prefix):
            return "alert:" + reason[len(prefix):]
    if reason == "tlsv1_unrecognized_name":
        return "alert:unrecognized_name"
    if "unexpected_eof" in reason or isinstance(e, ssl.SSLEOFError):
        return "eof"
    return "error:" + (reason or str(e))


def handshake(a):
    fam = socket.AF_INET6 if ":" in a.host else socket.AF_INET
    raw = socket.socket(fam, socket.SOCK_STREAM)
    raw.settimeout(a.timeout)
    try:
        raw.connect((a.host, a.port))
    except ConnectionRefusedError:
        return "refused"
    except TimeoutError:
        return "timeout"
    try:
        tls = context(a.max_tls12).wrap_socket(raw, server_hostname=a.sni)
        tls.sendall(b"hello\n")
        tls.unwrap()
        return "ok"
    except ConnectionResetError:
        return "reset"
    except ssl.SSLError as e:
        return alert_name(e)
    except TimeoutError:
        return "timeout"
    except OSError as e:
        return "error:%s" % e
    finally:
        raw.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host", nargs="?")
    ap.add_argument("port", nargs="?", type=int)
    ap.add_argument("--sni")
    ap.add_argument("--expect")
    ap.add_argument("--max-tls12", action="store_true")
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--sni-offset", metavar="NAME")
    a = ap.parse_args()
    if a.sni_offset:
        print("%d %d" % sni_offset(a.sni_offset, a.max_tls12))
        return
    if not (a.host and a.port and a.sni and a.expect):
        ap.error("HOST PORT --sni NAME --expect OUTCOME are required")
    outcome = handshake(a)
    print("tlscli %s %d sni=%s %s" % (a.host, a.port, a.sni, outcome), flush=True)
    if outcome != a.expect:
        print("tlscli: %s port %d sni %s: expected %s, got %s" % (a.host, a.port, a.sni, a.expect, outcome),
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
