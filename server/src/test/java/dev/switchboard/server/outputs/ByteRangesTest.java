package dev.switchboard.server.outputs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.outputs.ByteRanges.Part;
import dev.switchboard.server.outputs.ByteRanges.Unsatisfiable;
import dev.switchboard.server.outputs.ByteRanges.Whole;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class ByteRangesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bytes=0-0|0|0", "bytes=0-99|0|99", "bytes=10-20|10|20", "bytes=10-|10|99", "bytes=90-1000|90|99",
        "bytes=-10|90|99", "bytes=-1000|0|99", "'BYTES= 5 - 6 '|5|6", "bytes=99-99|99|99",
        "bytes=0-99999999999999999999999|0|99"})
    void oneRangeIsServed(String header, long first, long last) {
        assertThat(ByteRanges.parse(header, 100)).isEqualTo(new Part(first, last));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=100-", "bytes=100-200", "bytes=-0", "bytes=99999999999999999999-"})
    void aRangeStartingPastTheEndCannotBeSatisfied(String header) {
        assertThat(ByteRanges.parse(header, 100)).isEqualTo(new Unsatisfiable());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bytes=", "bytes=-", "bytes=5-4", "bytes=0-1,5-6", "items=0-5", "bytes=a-b",
        "bytes=1-2-3", "bytes 0-5"})
    void anythingElseIsIgnoredAndTheWholeFileServed(String header) {
        assertThat(ByteRanges.parse(header, 100)).isEqualTo(new Whole());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-", "bytes=-5", "bytes=0-0"})
    void nothingOfAnEmptyFileCanBeServed(String header) {
        assertThat(ByteRanges.parse(header, 0)).isEqualTo(new Unsatisfiable());
    }
}
