package dev.mos.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** OTLP/HTTP protobuf bodies through OtlpProtoDecoder, the Claude Code mappers and the store ({@link OtlpSignal}). */
class OtlpProtoFuzzTest {

    private static final IngestWorld WORLD = new IngestWorld();

    @FuzzTest(maxDuration = FuzzBounds.TEST_RUN)
    void request(byte[] input) {
        OtlpSignal.send(WORLD, input, true);
    }
}
