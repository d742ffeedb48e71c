/**
 * Prints the live service's kernel filter expression (CaptureFilter.expression()), so that shell
 * benchmarks use the very filter the service compiles:
 * {@code java -cp target/tapdoctor.jar src/bench/PrintFilter.java}.
 */
public class PrintFilter {
    public static void main(String[] args) {
        System.out.println(org.tapdoctor.capture.CaptureFilter.expression());
    }
}
