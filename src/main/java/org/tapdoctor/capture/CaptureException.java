package org.tapdoctor.capture;

/** A capture source could not be opened or read; the message is one line meant for the user. */
public class CaptureException extends Exception {
    private static final long serialVersionUID = 1L;

    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
