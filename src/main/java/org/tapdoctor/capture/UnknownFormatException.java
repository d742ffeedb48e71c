package org.tapdoctor.capture;

/**
 * The file does not start with a pcap or pcapng magic number: it may still be a format libpcap
 * knows (such as the "modified" pcap of some Linux patches), so a caller may try libpcap next.
 */
public final class UnknownFormatException extends CaptureException {
    private static final long serialVersionUID = 1L;

    public UnknownFormatException(String message) {
        super(message);
    }
}
