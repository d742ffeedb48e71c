package org.tapdoctor.capture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Keeps a copy of every frame it is handed. */
final class RecordingHandler implements FrameHandler {
    record Frame(byte[] bytes, int wireLength, long timeNanos, int linkType, int side) {
        @Override
        public String toString() {
            return "Frame[" + bytes.length + "/" + wireLength + " bytes, t=" + timeNanos + " ns, link type "
                    + linkType + ", side " + side + ", " + Arrays.toString(Arrays.copyOf(bytes, Math.min(8, bytes.length)))
                    + "...]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && Arrays.equals(bytes, f.bytes) && wireLength == f.wireLength
                    && timeNanos == f.timeNanos && linkType == f.linkType && side == f.side;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    final List<Frame> frames = new ArrayList<>();

    @Override
    public void onFrame(byte[] frame, int length, int wireLength, long timeNanos, int linkType, int side) {
        frames.add(new Frame(Arrays.copyOf(frame, length), wireLength, timeNanos, linkType, side));
    }
}
