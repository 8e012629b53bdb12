package dev.mos.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.ingest.otlp.OtlpFormatException;
import dev.mos.ingest.otlp.OtlpReceiver;
import java.util.Arrays;

/**
 * One OTLP request for the two OTLP harnesses: the first byte picks the signal (so one corpus file is one
 * request, of any of the three), the rest is the body. The contract (OtlpReceiver, OtlpServlet): an outcome that
 * counts every record, or an OtlpFormatException with a message (answered 400); anything else is a 500.
 */
final class OtlpSignal {

    static final byte LOGS = 'l';
    static final byte METRICS = 'm';
    static final byte TRACES = 't';

    private OtlpSignal() {
    }

    static void send(IngestWorld world, byte[] input, boolean protobuf) {
        if (input.length == 0) {
            return;
        }
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        OtlpReceiver.Outcome outcome;
        try {
            outcome = switch (Math.floorMod(input[0], 3)) {
                case 0 -> world.otlp.logs(body, protobuf); // 'l' = 108
                case 1 -> world.otlp.metrics(body, protobuf); // 'm' = 109
                default -> world.otlp.traces(body, protobuf); // 't' = 116
            };
        } catch (OtlpFormatException e) {
            assertThat(e.getMessage()).as("a refusal says what is wrong").isNotBlank();
            return;
        }
        assertThat(outcome.accepted()).isNotNegative();
        assertThat(outcome.rejected()).isNotNegative();
        if (outcome.rejected() > 0) {
            assertThat(outcome.errorMessage()).as("partial success says why").isNotBlank();
        }
        world.checkStored();
    }
}
