package dev.mos.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantTest {

    @Test
    void agreesWithInstantParseOnRandomInstantsInEveryPrecision() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L),
                    random.nextInt(1_000_000_000));
            String text = instant.toString(); // 0, 3, 6 or 9 fraction digits
            assertThat(IsoInstant.parseMillis(text)).as(text).isEqualTo(Instant.parse(text).toEpochMilli());
        }
        for (String text : new String[] {"2026-11-25T15:04:05Z", "2026-11-25T15:04:05.1Z", "2026-11-25T15:04:05.12Z",
            "2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00.000Z", "2026-11-25T15:04:05.12345Z"}) {
            assertThat(IsoInstant.parseMillis(text)).as(text).isEqualTo(Instant.parse(text).toEpochMilli());
        }
    }

    @Test
    void otherFormsGoToTheFullParserAndNonsenseIsRefusedAsItWouldBe() {
        // what the full parser accepts beyond the common form, the same
        for (String other : new String[] {"2026-11-25T15:04:05+02:00", "2026-11-25T24:00:00Z",
            "2026-11-25T15:04:05.Z", "+12026-11-25T15:04:05Z"}) {
            assertThat(IsoInstant.parseMillis(other)).as(other).isEqualTo(Instant.parse(other).toEpochMilli());
        }
        for (String bad : new String[] {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-11-25 15:04:05Z", "2026-11-25T15:04:05.1234567890Z", "yesterday",
            "2026-11-25T15:04:0xZ"}) {
            assertThatThrownBy(() -> IsoInstant.parseMillis(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
        }
    }
}
